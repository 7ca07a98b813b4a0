NAME park-day
ROWS
 N cost
 E balance_0
 E soc_0
 L peak_0
 E balance_1
 E soc_1
 L peak_1
 E balance_2
 E soc_2
 L peak_2
 E balance_3
 E soc_3
 L peak_3
 E balance_4
 E soc_4
 L peak_4
 E balance_5
 E soc_5
 L peak_5
 E balance_6
 E soc_6
 L peak_6
 E balance_7
 E soc_7
 L peak_7
 E balance_8
 E soc_8
 L peak_8
 E balance_9
 E soc_9
 L peak_9
 E balance_10
 E soc_10
 L peak_10
 E balance_11
 E soc_11
 L peak_11
 E balance_12
 E soc_12
 L peak_12
 E balance_13
 E soc_13
 L peak_13
 E balance_14
 E soc_14
 L peak_14
 E balance_15
 E soc_15
 L peak_15
 E balance_16
 E soc_16
 L peak_16
 E balance_17
 E soc_17
 L peak_17
 E balance_18
 E soc_18
 L peak_18
 E balance_19
 E soc_19
 L peak_19
 E balance_20
 E soc_20
 L peak_20
 E balance_21
 E soc_21
 L peak_21
 E balance_22
 E soc_22
 L peak_22
 E balance_23
 E soc_23
 L peak_23
 G soc_final
COLUMNS
    peak cost 8
    peak peak_0 -1
    peak peak_1 -1
    peak peak_2 -1
    peak peak_3 -1
    peak peak_4 -1
    peak peak_5 -1
    peak peak_6 -1
    peak peak_7 -1
    peak peak_8 -1
    peak peak_9 -1
    peak peak_10 -1
    peak peak_11 -1
    peak peak_12 -1
    peak peak_13 -1
    peak peak_14 -1
    peak peak_15 -1
    peak peak_16 -1
    peak peak_17 -1
    peak peak_18 -1
    peak peak_19 -1
    peak peak_20 -1
    peak peak_21 -1
    peak peak_22 -1
    peak peak_23 -1
    import_0 cost 0.12
    import_0 balance_0 1
    import_0 peak_0 1
    export_0 cost -0.036
    export_0 balance_0 -1
    charge_0 cost 0.005
    charge_0 balance_0 -1
    charge_0 soc_0 -0.95
    discharge_0 cost 0.005
    discharge_0 balance_0 1
    discharge_0 soc_0 1.05263158
    soc_0 soc_0 1
    soc_0 soc_1 -1
    curtail_0 balance_0 -1
    shed_0 cost 2
    shed_0 balance_0 1
    import_1 cost 0.12
    import_1 balance_1 1
    import_1 peak_1 1
    export_1 cost -0.036
    export_1 balance_1 -1
    charge_1 cost 0.005
    charge_1 balance_1 -1
    charge_1 soc_1 -0.95
    discharge_1 cost 0.005
    discharge_1 balance_1 1
    discharge_1 soc_1 1.05263158
    soc_1 soc_1 1
    soc_1 soc_2 -1
    curtail_1 balance_1 -1
    shed_1 cost 2
    shed_1 balance_1 1
    import_2 cost 0.12
    import_2 balance_2 1
    import_2 peak_2 1
    export_2 cost -0.036
    export_2 balance_2 -1
    charge_2 cost 0.005
    charge_2 balance_2 -1
    charge_2 soc_2 -0.95
    discharge_2 cost 0.005
    discharge_2 balance_2 1
    discharge_2 soc_2 1.05263158
    soc_2 soc_2 1
    soc_2 soc_3 -1
    curtail_2 balance_2 -1
    shed_2 cost 2
    shed_2 balance_2 1
    import_3 cost 0.12
    import_3 balance_3 1
    import_3 peak_3 1
    export_3 cost -0.036
    export_3 balance_3 -1
    charge_3 cost 0.005
    charge_3 balance_3 -1
    charge_3 soc_3 -0.95
    discharge_3 cost 0.005
    discharge_3 balance_3 1
    discharge_3 soc_3 1.05263158
    soc_3 soc_3 1
    soc_3 soc_4 -1
    curtail_3 balance_3 -1
    shed_3 cost 2
    shed_3 balance_3 1
    import_4 cost 0.12
    import_4 balance_4 1
    import_4 peak_4 1
    export_4 cost -0.036
    export_4 balance_4 -1
    charge_4 cost 0.005
    charge_4 balance_4 -1
    charge_4 soc_4 -0.95
    discharge_4 cost 0.005
    discharge_4 balance_4 1
    discharge_4 soc_4 1.05263158
    soc_4 soc_4 1
    soc_4 soc_5 -1
    curtail_4 balance_4 -1
    shed_4 cost 2
    shed_4 balance_4 1
    import_5 cost 0.12
    import_5 balance_5 1
    import_5 peak_5 1
    export_5 cost -0.036
    export_5 balance_5 -1
    charge_5 cost 0.005
    charge_5 balance_5 -1
    charge_5 soc_5 -0.95
    discharge_5 cost 0.005
    discharge_5 balance_5 1
    discharge_5 soc_5 1.05263158
    soc_5 soc_5 1
    soc_5 soc_6 -1
    curtail_5 balance_5 -1
    shed_5 cost 2
    shed_5 balance_5 1
    import_6 cost 0.12
    import_6 balance_6 1
    import_6 peak_6 1
    export_6 cost -0.036
    export_6 balance_6 -1
    charge_6 cost 0.005
    charge_6 balance_6 -1
    charge_6 soc_6 -0.95
    discharge_6 cost 0.005
    discharge_6 balance_6 1
    discharge_6 soc_6 1.05263158
    soc_6 soc_6 1
    soc_6 soc_7 -1
    curtail_6 balance_6 -1
    shed_6 cost 2
    shed_6 balance_6 1
    import_7 cost 0.22
    import_7 balance_7 1
    import_7 peak_7 1
    export_7 cost -0.066
    export_7 balance_7 -1
    charge_7 cost 0.005
    charge_7 balance_7 -1
    charge_7 soc_7 -0.95
    discharge_7 cost 0.005
    discharge_7 balance_7 1
    discharge_7 soc_7 1.05263158
    soc_7 soc_7 1
    soc_7 soc_8 -1
    curtail_7 balance_7 -1
    shed_7 cost 2
    shed_7 balance_7 1
    import_8 cost 0.35
    import_8 balance_8 1
    import_8 peak_8 1
    export_8 cost -0.105
    export_8 balance_8 -1
    charge_8 cost 0.005
    charge_8 balance_8 -1
    charge_8 soc_8 -0.95
    discharge_8 cost 0.005
    discharge_8 balance_8 1
    discharge_8 soc_8 1.05263158
    soc_8 soc_8 1
    soc_8 soc_9 -1
    curtail_8 balance_8 -1
    shed_8 cost 2
    shed_8 balance_8 1
    import_9 cost 0.35
    import_9 balance_9 1
    import_9 peak_9 1
    export_9 cost -0.105
    export_9 balance_9 -1
    charge_9 cost 0.005
    charge_9 balance_9 -1
    charge_9 soc_9 -0.95
    discharge_9 cost 0.005
    discharge_9 balance_9 1
    discharge_9 soc_9 1.05263158
    soc_9 soc_9 1
    soc_9 soc_10 -1
    curtail_9 balance_9 -1
    shed_9 cost 2
    shed_9 balance_9 1
    import_10 cost 0.35
    import_10 balance_10 1
    import_10 peak_10 1
    export_10 cost -0.105
    export_10 balance_10 -1
    charge_10 cost 0.005
    charge_10 balance_10 -1
    charge_10 soc_10 -0.95
    discharge_10 cost 0.005
    discharge_10 balance_10 1
    discharge_10 soc_10 1.05263158
    soc_10 soc_10 1
    soc_10 soc_11 -1
    curtail_10 balance_10 -1
    shed_10 cost 2
    shed_10 balance_10 1
    import_11 cost 0.35
    import_11 balance_11 1
    import_11 peak_11 1
    export_11 cost -0.105
    export_11 balance_11 -1
    charge_11 cost 0.005
    charge_11 balance_11 -1
    charge_11 soc_11 -0.95
    discharge_11 cost 0.005
    discharge_11 balance_11 1
    discharge_11 soc_11 1.05263158
    soc_11 soc_11 1
    soc_11 soc_12 -1
    curtail_11 balance_11 -1
    shed_11 cost 2
    shed_11 balance_11 1
    import_12 cost 0.22
    import_12 balance_12 1
    import_12 peak_12 1
    export_12 cost -0.066
    export_12 balance_12 -1
    charge_12 cost 0.005
    charge_12 balance_12 -1
    charge_12 soc_12 -0.95
    discharge_12 cost 0.005
    discharge_12 balance_12 1
    discharge_12 soc_12 1.05263158
    soc_12 soc_12 1
    soc_12 soc_13 -1
    curtail_12 balance_12 -1
    shed_12 cost 2
    shed_12 balance_12 1
    import_13 cost 0.22
    import_13 balance_13 1
    import_13 peak_13 1
    export_13 cost -0.066
    export_13 balance_13 -1
    charge_13 cost 0.005
    charge_13 balance_13 -1
    charge_13 soc_13 -0.95
    discharge_13 cost 0.005
    discharge_13 balance_13 1
    discharge_13 soc_13 1.05263158
    soc_13 soc_13 1
    soc_13 soc_14 -1
    curtail_13 balance_13 -1
    shed_13 cost 2
    shed_13 balance_13 1
    import_14 cost 0.22
    import_14 balance_14 1
    import_14 peak_14 1
    export_14 cost -0.066
    export_14 balance_14 -1
    charge_14 cost 0.005
    charge_14 balance_14 -1
    charge_14 soc_14 -0.95
    discharge_14 cost 0.005
    discharge_14 balance_14 1
    discharge_14 soc_14 1.05263158
    soc_14 soc_14 1
    soc_14 soc_15 -1
    curtail_14 balance_14 -1
    shed_14 cost 2
    shed_14 balance_14 1
    import_15 cost 0.22
    import_15 balance_15 1
    import_15 peak_15 1
    export_15 cost -0.066
    export_15 balance_15 -1
    charge_15 cost 0.005
    charge_15 balance_15 -1
    charge_15 soc_15 -0.95
    discharge_15 cost 0.005
    discharge_15 balance_15 1
    discharge_15 soc_15 1.05263158
    soc_15 soc_15 1
    soc_15 soc_16 -1
    curtail_15 balance_15 -1
    shed_15 cost 2
    shed_15 balance_15 1
    import_16 cost 0.22
    import_16 balance_16 1
    import_16 peak_16 1
    export_16 cost -0.066
    export_16 balance_16 -1
    charge_16 cost 0.005
    charge_16 balance_16 -1
    charge_16 soc_16 -0.95
    discharge_16 cost 0.005
    discharge_16 balance_16 1
    discharge_16 soc_16 1.05263158
    soc_16 soc_16 1
    soc_16 soc_17 -1
    curtail_16 balance_16 -1
    shed_16 cost 2
    shed_16 balance_16 1
    import_17 cost 0.35
    import_17 balance_17 1
    import_17 peak_17 1
    export_17 cost -0.105
    export_17 balance_17 -1
    charge_17 cost 0.005
    charge_17 balance_17 -1
    charge_17 soc_17 -0.95
    discharge_17 cost 0.005
    discharge_17 balance_17 1
    discharge_17 soc_17 1.05263158
    soc_17 soc_17 1
    soc_17 soc_18 -1
    curtail_17 balance_17 -1
    shed_17 cost 2
    shed_17 balance_17 1
    import_18 cost 0.35
    import_18 balance_18 1
    import_18 peak_18 1
    export_18 cost -0.105
    export_18 balance_18 -1
    charge_18 cost 0.005
    charge_18 balance_18 -1
    charge_18 soc_18 -0.95
    discharge_18 cost 0.005
    discharge_18 balance_18 1
    discharge_18 soc_18 1.05263158
    soc_18 soc_18 1
    soc_18 soc_19 -1
    curtail_18 balance_18 -1
    shed_18 cost 2
    shed_18 balance_18 1
    import_19 cost 0.35
    import_19 balance_19 1
    import_19 peak_19 1
    export_19 cost -0.105
    export_19 balance_19 -1
    charge_19 cost 0.005
    charge_19 balance_19 -1
    charge_19 soc_19 -0.95
    discharge_19 cost 0.005
    discharge_19 balance_19 1
    discharge_19 soc_19 1.05263158
    soc_19 soc_19 1
    soc_19 soc_20 -1
    curtail_19 balance_19 -1
    shed_19 cost 2
    shed_19 balance_19 1
    import_20 cost 0.35
    import_20 balance_20 1
    import_20 peak_20 1
    export_20 cost -0.105
    export_20 balance_20 -1
    charge_20 cost 0.005
    charge_20 balance_20 -1
    charge_20 soc_20 -0.95
    discharge_20 cost 0.005
    discharge_20 balance_20 1
    discharge_20 soc_20 1.05263158
    soc_20 soc_20 1
    soc_20 soc_21 -1
    curtail_20 balance_20 -1
    shed_20 cost 2
    shed_20 balance_20 1
    import_21 cost 0.22
    import_21 balance_21 1
    import_21 peak_21 1
    export_21 cost -0.066
    export_21 balance_21 -1
    charge_21 cost 0.005
    charge_21 balance_21 -1
    charge_21 soc_21 -0.95
    discharge_21 cost 0.005
    discharge_21 balance_21 1
    discharge_21 soc_21 1.05263158
    soc_21 soc_21 1
    soc_21 soc_22 -1
    curtail_21 balance_21 -1
    shed_21 cost 2
    shed_21 balance_21 1
    import_22 cost 0.22
    import_22 balance_22 1
    import_22 peak_22 1
    export_22 cost -0.066
    export_22 balance_22 -1
    charge_22 cost 0.005
    charge_22 balance_22 -1
    charge_22 soc_22 -0.95
    discharge_22 cost 0.005
    discharge_22 balance_22 1
    discharge_22 soc_22 1.05263158
    soc_22 soc_22 1
    soc_22 soc_23 -1
    curtail_22 balance_22 -1
    shed_22 cost 2
    shed_22 balance_22 1
    import_23 cost 0.12
    import_23 balance_23 1
    import_23 peak_23 1
    export_23 cost -0.036
    export_23 balance_23 -1
    charge_23 cost 0.005
    charge_23 balance_23 -1
    charge_23 soc_23 -0.95
    discharge_23 cost 0.005
    discharge_23 balance_23 1
    discharge_23 soc_23 1.05263158
    soc_23 soc_23 1
    soc_23 soc_final 1
    curtail_23 balance_23 -1
    shed_23 cost 2
    shed_23 balance_23 1
RHS
    RHS balance_0 4200
    RHS soc_0 2000
    RHS balance_1 4200
    RHS balance_2 4200
    RHS balance_3 4200
    RHS balance_4 4200
    RHS balance_5 4200
    RHS balance_6 4200
    RHS balance_7 3449.42477
    RHS balance_8 3050
    RHS balance_9 2449.39034
    RHS balance_10 1988.52633
    RHS balance_11 1698.8151
    RHS balance_12 1600
    RHS balance_13 1698.8151
    RHS balance_14 1988.52633
    RHS balance_15 2449.39034
    RHS balance_16 3050
    RHS balance_17 3749.42477
    RHS balance_18 4200
    RHS balance_19 4200
    RHS balance_20 4200
    RHS balance_21 4200
    RHS balance_22 4200
    RHS balance_23 4200
    RHS soc_final 2000
BOUNDS
 UP BND import_0 6000
 UP BND export_0 2000
 UP BND charge_0 1000
 UP BND discharge_0 1000
 LO BND soc_0 400
 UP BND soc_0 4000
 UP BND curtail_0 0
 UP BND shed_0 210
 UP BND import_1 6000
 UP BND export_1 2000
 UP BND charge_1 1000
 UP BND discharge_1 1000
 LO BND soc_1 400
 UP BND soc_1 4000
 UP BND curtail_1 0
 UP BND shed_1 210
 UP BND import_2 6000
 UP BND export_2 2000
 UP BND charge_2 1000
 UP BND discharge_2 1000
 LO BND soc_2 400
 UP BND soc_2 4000
 UP BND curtail_2 0
 UP BND shed_2 210
 UP BND import_3 6000
 UP BND export_3 2000
 UP BND charge_3 1000
 UP BND discharge_3 1000
 LO BND soc_3 400
 UP BND soc_3 4000
 UP BND curtail_3 0
 UP BND shed_3 210
 UP BND import_4 6000
 UP BND export_4 2000
 UP BND charge_4 1000
 UP BND discharge_4 1000
 LO BND soc_4 400
 UP BND soc_4 4000
 UP BND curtail_4 0
 UP BND shed_4 210
 UP BND import_5 6000
 UP BND export_5 2000
 UP BND charge_5 1000
 UP BND discharge_5 1000
 LO BND soc_5 400
 UP BND soc_5 4000
 UP BND curtail_5 0
 UP BND shed_5 210
 UP BND import_6 6000
 UP BND export_6 2000
 UP BND charge_6 1000
 UP BND discharge_6 1000
 LO BND soc_6 400
 UP BND soc_6 4000
 UP BND curtail_6 0
 UP BND shed_6 210
 UP BND import_7 6000
 UP BND export_7 2000
 UP BND charge_7 1000
 UP BND discharge_7 1000
 LO BND soc_7 400
 UP BND soc_7 4000
 UP BND curtail_7 905.866658
 UP BND shed_7 217.764571
 UP BND import_8 6000
 UP BND export_8 2000
 UP BND charge_8 1000
 UP BND discharge_8 1000
 LO BND soc_8 400
 UP BND soc_8 4000
 UP BND curtail_8 1750
 UP BND shed_8 240
 UP BND import_9 6000
 UP BND export_9 2000
 UP BND charge_9 1000
 UP BND discharge_9 1000
 LO BND soc_9 400
 UP BND soc_9 4000
 UP BND curtail_9 2474.87373
 UP BND shed_9 246.213203
 UP BND import_10 6000
 UP BND export_10 2000
 UP BND charge_10 1000
 UP BND discharge_10 1000
 LO BND soc_10 400
 UP BND soc_10 4000
 UP BND curtail_10 3031.08891
 UP BND shed_10 250.980762
 UP BND import_11 6000
 UP BND export_11 2000
 UP BND charge_11 1000
 UP BND discharge_11 1000
 LO BND soc_11 400
 UP BND soc_11 4000
 UP BND curtail_11 3380.74039
 UP BND shed_11 253.977775
 UP BND import_12 6000
 UP BND export_12 2000
 UP BND charge_12 1000
 UP BND discharge_12 1000
 LO BND soc_12 400
 UP BND soc_12 4000
 UP BND curtail_12 3500
 UP BND shed_12 255
 UP BND import_13 6000
 UP BND export_13 2000
 UP BND charge_13 1000
 UP BND discharge_13 1000
 LO BND soc_13 400
 UP BND soc_13 4000
 UP BND curtail_13 3380.74039
 UP BND shed_13 253.977775
 UP BND import_14 6000
 UP BND export_14 2000
 UP BND charge_14 1000
 UP BND discharge_14 1000
 LO BND soc_14 400
 UP BND soc_14 4000
 UP BND curtail_14 3031.08891
 UP BND shed_14 250.980762
 UP BND import_15 6000
 UP BND export_15 2000
 UP BND charge_15 1000
 UP BND discharge_15 1000
 LO BND soc_15 400
 UP BND soc_15 4000
 UP BND curtail_15 2474.87373
 UP BND shed_15 246.213203
 UP BND import_16 6000
 UP BND export_16 2000
 UP BND charge_16 1000
 UP BND discharge_16 1000
 LO BND soc_16 400
 UP BND soc_16 4000
 UP BND curtail_16 1750
 UP BND shed_16 240
 UP BND import_17 6000
 UP BND export_17 2000
 UP BND charge_17 1000
 UP BND discharge_17 1000
 LO BND soc_17 400
 UP BND soc_17 4000
 UP BND curtail_17 905.866658
 UP BND shed_17 232.764571
 UP BND import_18 6000
 UP BND export_18 2000
 UP BND charge_18 1000
 UP BND discharge_18 1000
 LO BND soc_18 400
 UP BND soc_18 4000
 UP BND curtail_18 0
 UP BND shed_18 210
 UP BND import_19 6000
 UP BND export_19 2000
 UP BND charge_19 1000
 UP BND discharge_19 1000
 LO BND soc_19 400
 UP BND soc_19 4000
 UP BND curtail_19 0
 UP BND shed_19 210
 UP BND import_20 6000
 UP BND export_20 2000
 UP BND charge_20 1000
 UP BND discharge_20 1000
 LO BND soc_20 400
 UP BND soc_20 4000
 UP BND curtail_20 0
 UP BND shed_20 210
 UP BND import_21 6000
 UP BND export_21 2000
 UP BND charge_21 1000
 UP BND discharge_21 1000
 LO BND soc_21 400
 UP BND soc_21 4000
 UP BND curtail_21 0
 UP BND shed_21 210
 UP BND import_22 6000
 UP BND export_22 2000
 UP BND charge_22 1000
 UP BND discharge_22 1000
 LO BND soc_22 400
 UP BND soc_22 4000
 UP BND curtail_22 0
 UP BND shed_22 210
 UP BND import_23 6000
 UP BND export_23 2000
 UP BND charge_23 1000
 UP BND discharge_23 1000
 LO BND soc_23 400
 UP BND soc_23 4000
 UP BND curtail_23 0
 UP BND shed_23 210
ENDATA
