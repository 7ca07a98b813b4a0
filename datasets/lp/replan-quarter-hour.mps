NAME flexdispatch
ROWS
 N  obj
 L  park_park_import_0
 L  park_park_export_0
 L  f01_shed_energy
 L  f01_firm_connection_0
 L  f01_firm_connection_neg_0
 E  f01_balance_0
 L  f02_shed_energy
 L  f02_firm_connection_0
 L  f02_firm_connection_neg_0
 E  f02_balance_0
 G  f03_bat_soc_final
 E  f03_bat_soc_0
 L  f03_firm_connection_0
 L  f03_firm_connection_neg_0
 E  f03_balance_0
 E  f04_batch_energy
 L  f04_shed_energy
 L  f04_firm_connection_0
 L  f04_firm_connection_neg_0
 E  f04_balance_0
 G  f05_bat_soc_final
 E  f05_bat_soc_0
 L  f05_firm_connection_0
 L  f05_firm_connection_neg_0
 E  f05_balance_0
 G  f06_bat_soc_final
 E  f06_bat_soc_0
 L  f06_firm_connection_0
 L  f06_firm_connection_neg_0
 E  f06_balance_0
 G  f07_h2_hydrogen
 L  f07_firm_connection_0
 L  f07_firm_connection_neg_0
 E  f07_balance_0
 L  f08_shed_energy
 L  f08_firm_connection_0
 L  f08_firm_connection_neg_0
 E  f08_balance_0
 L  f09_shed_energy
 L  f09_firm_connection_0
 L  f09_firm_connection_neg_0
 E  f09_balance_0
 L  f10_shed_energy
 L  f10_firm_connection_0
 L  f10_firm_connection_neg_0
 E  f10_balance_0
 G  f11_bat_soc_final
 E  f11_bat_soc_0
 L  f11_firm_connection_0
 L  f11_firm_connection_neg_0
 E  f11_balance_0
 E  f12_batch_energy
 L  f12_shed_energy
 L  f12_firm_connection_0
 L  f12_firm_connection_neg_0
 E  f12_balance_0
 G  f13_bat_soc_final
 E  f13_bat_soc_0
 L  f13_firm_connection_0
 L  f13_firm_connection_neg_0
 E  f13_balance_0
 G  f14_bat_soc_final
 E  f14_bat_soc_0
 L  f14_firm_connection_0
 L  f14_firm_connection_neg_0
 E  f14_balance_0
 G  f15_h2_hydrogen
 L  f15_firm_connection_0
 L  f15_firm_connection_neg_0
 E  f15_balance_0
 L  f16_shed_energy
 L  f16_firm_connection_0
 L  f16_firm_connection_neg_0
 E  f16_balance_0
 L  f17_shed_energy
 L  f17_firm_connection_0
 L  f17_firm_connection_neg_0
 E  f17_balance_0
 L  f18_shed_energy
 L  f18_firm_connection_0
 L  f18_firm_connection_neg_0
 E  f18_balance_0
 G  f19_bat_soc_final
 E  f19_bat_soc_0
 L  f19_firm_connection_0
 L  f19_firm_connection_neg_0
 E  f19_balance_0
 E  f20_batch_energy
 L  f20_shed_energy
 L  f20_firm_connection_0
 L  f20_firm_connection_neg_0
 E  f20_balance_0
 G  f21_bat_soc_final
 E  f21_bat_soc_0
 L  f21_firm_connection_0
 L  f21_firm_connection_neg_0
 E  f21_balance_0
 G  f22_bat_soc_final
 E  f22_bat_soc_0
 L  f22_firm_connection_0
 L  f22_firm_connection_neg_0
 E  f22_balance_0
 G  f23_h2_hydrogen
 L  f23_firm_connection_0
 L  f23_firm_connection_neg_0
 E  f23_balance_0
 L  f24_shed_energy
 L  f24_firm_connection_0
 L  f24_firm_connection_neg_0
 E  f24_balance_0
 L  f25_shed_energy
 L  f25_firm_connection_0
 L  f25_firm_connection_neg_0
 E  f25_balance_0
 L  f26_shed_energy
 L  f26_firm_connection_0
 L  f26_firm_connection_neg_0
 E  f26_balance_0
 G  f27_bat_soc_final
 E  f27_bat_soc_0
 L  f27_firm_connection_0
 L  f27_firm_connection_neg_0
 E  f27_balance_0
 E  f28_batch_energy
 L  f28_shed_energy
 L  f28_firm_connection_0
 L  f28_firm_connection_neg_0
 E  f28_balance_0
 G  f29_bat_soc_final
 E  f29_bat_soc_0
 L  f29_firm_connection_0
 L  f29_firm_connection_neg_0
 E  f29_balance_0
 G  f30_bat_soc_final
 E  f30_bat_soc_0
 L  f30_firm_connection_0
 L  f30_firm_connection_neg_0
 E  f30_balance_0
 G  f31_h2_hydrogen
 L  f31_firm_connection_0
 L  f31_firm_connection_neg_0
 E  f31_balance_0
 L  f32_shed_energy
 L  f32_firm_connection_0
 L  f32_firm_connection_neg_0
 E  f32_balance_0
 L  f33_shed_energy
 L  f33_firm_connection_0
 L  f33_firm_connection_neg_0
 E  f33_balance_0
 L  f34_shed_energy
 L  f34_firm_connection_0
 L  f34_firm_connection_neg_0
 E  f34_balance_0
 G  f35_bat_soc_final
 E  f35_bat_soc_0
 L  f35_firm_connection_0
 L  f35_firm_connection_neg_0
 E  f35_balance_0
 E  f36_batch_energy
 L  f36_shed_energy
 L  f36_firm_connection_0
 L  f36_firm_connection_neg_0
 E  f36_balance_0
 G  f37_bat_soc_final
 E  f37_bat_soc_0
 L  f37_firm_connection_0
 L  f37_firm_connection_neg_0
 E  f37_balance_0
 G  f38_bat_soc_final
 E  f38_bat_soc_0
 L  f38_firm_connection_0
 L  f38_firm_connection_neg_0
 E  f38_balance_0
 G  f39_h2_hydrogen
 L  f39_firm_connection_0
 L  f39_firm_connection_neg_0
 E  f39_balance_0
 L  f40_shed_energy
 L  f40_firm_connection_0
 L  f40_firm_connection_neg_0
 E  f40_balance_0
 L  f41_shed_energy
 L  f41_firm_connection_0
 L  f41_firm_connection_neg_0
 E  f41_balance_0
 L  f42_shed_energy
 L  f42_firm_connection_0
 L  f42_firm_connection_neg_0
 E  f42_balance_0
 G  f43_bat_soc_final
 E  f43_bat_soc_0
 L  f43_firm_connection_0
 L  f43_firm_connection_neg_0
 E  f43_balance_0
 E  f44_batch_energy
 L  f44_shed_energy
 L  f44_firm_connection_0
 L  f44_firm_connection_neg_0
 E  f44_balance_0
 G  f45_bat_soc_final
 E  f45_bat_soc_0
 L  f45_firm_connection_0
 L  f45_firm_connection_neg_0
 E  f45_balance_0
 G  f46_bat_soc_final
 E  f46_bat_soc_0
 L  f46_firm_connection_0
 L  f46_firm_connection_neg_0
 E  f46_balance_0
 G  park_bat_soc_final
 E  park_bat_soc_0
 E  grid_balance_0
 E  nomination_0
 L  peak_0
COLUMNS
    import_0  obj  0.07505150000000001
    import_0  park_park_import_0  1
    import_0  grid_balance_0  1
    import_0  nomination_0  1
    import_0  peak_0  1
    export_0  obj  -0.070725
    export_0  park_park_export_0  1
    export_0  grid_balance_0  -1
    export_0  nomination_0  -1
    park_breach_park_import_0  obj  25
    park_breach_park_import_0  park_park_import_0  -1
    park_breach_park_export_0  obj  25
    park_breach_park_export_0  park_park_export_0  -1
    f01_shed_shed_0  obj  0.45
    f01_shed_shed_0  f01_shed_energy  0.25
    f01_shed_shed_0  f01_balance_0  -1
    f01_exchange_0  f01_firm_connection_0  1
    f01_exchange_0  f01_firm_connection_neg_0  -1
    f01_exchange_0  f01_balance_0  -1
    f01_exchange_0  grid_balance_0  -1
    f01_breach_firm_connection_0  obj  25
    f01_breach_firm_connection_0  f01_firm_connection_0  -1
    f01_breach_firm_connection_0  f01_firm_connection_neg_0  -1
    f02_pv_gen_0  f02_balance_0  -1
    f02_shed_shed_0  obj  0.2375
    f02_shed_shed_0  f02_shed_energy  0.25
    f02_shed_shed_0  f02_balance_0  -1
    f02_exchange_0  f02_firm_connection_0  1
    f02_exchange_0  f02_firm_connection_neg_0  -1
    f02_exchange_0  f02_balance_0  -1
    f02_exchange_0  grid_balance_0  -1
    f02_breach_firm_connection_0  obj  25
    f02_breach_firm_connection_0  f02_firm_connection_0  -1
    f02_breach_firm_connection_0  f02_firm_connection_neg_0  -1
    f03_pv_gen_0  f03_balance_0  -1
    f03_bat_charge_0  f03_bat_soc_0  -0.2375
    f03_bat_charge_0  f03_balance_0  1
    f03_bat_discharge_0  obj  0.005
    f03_bat_discharge_0  f03_bat_soc_0  0.2631578947368421
    f03_bat_discharge_0  f03_balance_0  -1
    f03_bat_breach_final_soc  obj  1000
    f03_bat_breach_final_soc  f03_bat_soc_final  1
    f03_bat_soc_0  f03_bat_soc_final  1
    f03_bat_soc_0  f03_bat_soc_0  1
    f03_exchange_0  f03_firm_connection_0  1
    f03_exchange_0  f03_firm_connection_neg_0  -1
    f03_exchange_0  f03_balance_0  -1
    f03_exchange_0  grid_balance_0  -1
    f03_breach_firm_connection_0  obj  25
    f03_breach_firm_connection_0  f03_firm_connection_0  -1
    f03_breach_firm_connection_0  f03_firm_connection_neg_0  -1
    f04_batch_power_0  f04_batch_energy  0.25
    f04_batch_power_0  f04_balance_0  1
    f04_batch_breach_shiftable_energy  obj  1000
    f04_batch_breach_shiftable_energy  f04_batch_energy  1
    f04_shed_shed_0  obj  0.275
    f04_shed_shed_0  f04_shed_energy  0.25
    f04_shed_shed_0  f04_balance_0  -1
    f04_exchange_0  f04_firm_connection_0  1
    f04_exchange_0  f04_firm_connection_neg_0  -1
    f04_exchange_0  f04_balance_0  -1
    f04_exchange_0  grid_balance_0  -1
    f04_breach_firm_connection_0  obj  25
    f04_breach_firm_connection_0  f04_firm_connection_0  -1
    f04_breach_firm_connection_0  f04_firm_connection_neg_0  -1
    f05_pv_gen_0  f05_balance_0  -1
    f05_bat_charge_0  f05_bat_soc_0  -0.2375
    f05_bat_charge_0  f05_balance_0  1
    f05_bat_discharge_0  obj  0.005
    f05_bat_discharge_0  f05_bat_soc_0  0.2631578947368421
    f05_bat_discharge_0  f05_balance_0  -1
    f05_bat_breach_final_soc  obj  1000
    f05_bat_breach_final_soc  f05_bat_soc_final  1
    f05_bat_soc_0  f05_bat_soc_final  1
    f05_bat_soc_0  f05_bat_soc_0  1
    f05_exchange_0  f05_firm_connection_0  1
    f05_exchange_0  f05_firm_connection_neg_0  -1
    f05_exchange_0  f05_balance_0  -1
    f05_exchange_0  grid_balance_0  -1
    f05_breach_firm_connection_0  obj  25
    f05_breach_firm_connection_0  f05_firm_connection_0  -1
    f05_breach_firm_connection_0  f05_firm_connection_neg_0  -1
    f06_bat_charge_0  f06_bat_soc_0  -0.2375
    f06_bat_charge_0  f06_balance_0  1
    f06_bat_discharge_0  obj  0.005
    f06_bat_discharge_0  f06_bat_soc_0  0.2631578947368421
    f06_bat_discharge_0  f06_balance_0  -1
    f06_bat_breach_final_soc  obj  1000
    f06_bat_breach_final_soc  f06_bat_soc_final  1
    f06_bat_soc_0  f06_bat_soc_final  1
    f06_bat_soc_0  f06_bat_soc_0  1
    f06_exchange_0  f06_firm_connection_0  1
    f06_exchange_0  f06_firm_connection_neg_0  -1
    f06_exchange_0  f06_balance_0  -1
    f06_exchange_0  grid_balance_0  -1
    f06_breach_firm_connection_0  obj  25
    f06_breach_firm_connection_0  f06_firm_connection_0  -1
    f06_breach_firm_connection_0  f06_firm_connection_neg_0  -1
    f07_h2_power_0  f07_h2_hydrogen  0.0045
    f07_h2_power_0  f07_balance_0  1
    f07_h2_breach_hydrogen_demand  obj  55555.555555555555
    f07_h2_breach_hydrogen_demand  f07_h2_hydrogen  1
    f07_field_pv_gen_0  f07_balance_0  -1
    f07_exchange_0  f07_firm_connection_0  1
    f07_exchange_0  f07_firm_connection_neg_0  -1
    f07_exchange_0  f07_balance_0  -1
    f07_exchange_0  grid_balance_0  -1
    f07_breach_firm_connection_0  obj  25
    f07_breach_firm_connection_0  f07_firm_connection_0  -1
    f07_breach_firm_connection_0  f07_firm_connection_neg_0  -1
    f08_shed_shed_0  obj  0.2
    f08_shed_shed_0  f08_shed_energy  0.25
    f08_shed_shed_0  f08_balance_0  -1
    f08_exchange_0  f08_firm_connection_0  1
    f08_exchange_0  f08_firm_connection_neg_0  -1
    f08_exchange_0  f08_balance_0  -1
    f08_exchange_0  grid_balance_0  -1
    f08_breach_firm_connection_0  obj  25
    f08_breach_firm_connection_0  f08_firm_connection_0  -1
    f08_breach_firm_connection_0  f08_firm_connection_neg_0  -1
    f09_shed_shed_0  obj  0.45
    f09_shed_shed_0  f09_shed_energy  0.25
    f09_shed_shed_0  f09_balance_0  -1
    f09_exchange_0  f09_firm_connection_0  1
    f09_exchange_0  f09_firm_connection_neg_0  -1
    f09_exchange_0  f09_balance_0  -1
    f09_exchange_0  grid_balance_0  -1
    f09_breach_firm_connection_0  obj  25
    f09_breach_firm_connection_0  f09_firm_connection_0  -1
    f09_breach_firm_connection_0  f09_firm_connection_neg_0  -1
    f10_pv_gen_0  f10_balance_0  -1
    f10_shed_shed_0  obj  0.2375
    f10_shed_shed_0  f10_shed_energy  0.25
    f10_shed_shed_0  f10_balance_0  -1
    f10_exchange_0  f10_firm_connection_0  1
    f10_exchange_0  f10_firm_connection_neg_0  -1
    f10_exchange_0  f10_balance_0  -1
    f10_exchange_0  grid_balance_0  -1
    f10_breach_firm_connection_0  obj  25
    f10_breach_firm_connection_0  f10_firm_connection_0  -1
    f10_breach_firm_connection_0  f10_firm_connection_neg_0  -1
    f11_pv_gen_0  f11_balance_0  -1
    f11_bat_charge_0  f11_bat_soc_0  -0.2375
    f11_bat_charge_0  f11_balance_0  1
    f11_bat_discharge_0  obj  0.005
    f11_bat_discharge_0  f11_bat_soc_0  0.2631578947368421
    f11_bat_discharge_0  f11_balance_0  -1
    f11_bat_breach_final_soc  obj  1000
    f11_bat_breach_final_soc  f11_bat_soc_final  1
    f11_bat_soc_0  f11_bat_soc_final  1
    f11_bat_soc_0  f11_bat_soc_0  1
    f11_exchange_0  f11_firm_connection_0  1
    f11_exchange_0  f11_firm_connection_neg_0  -1
    f11_exchange_0  f11_balance_0  -1
    f11_exchange_0  grid_balance_0  -1
    f11_breach_firm_connection_0  obj  25
    f11_breach_firm_connection_0  f11_firm_connection_0  -1
    f11_breach_firm_connection_0  f11_firm_connection_neg_0  -1
    f12_batch_power_0  f12_batch_energy  0.25
    f12_batch_power_0  f12_balance_0  1
    f12_batch_breach_shiftable_energy  obj  1000
    f12_batch_breach_shiftable_energy  f12_batch_energy  1
    f12_shed_shed_0  obj  0.275
    f12_shed_shed_0  f12_shed_energy  0.25
    f12_shed_shed_0  f12_balance_0  -1
    f12_exchange_0  f12_firm_connection_0  1
    f12_exchange_0  f12_firm_connection_neg_0  -1
    f12_exchange_0  f12_balance_0  -1
    f12_exchange_0  grid_balance_0  -1
    f12_breach_firm_connection_0  obj  25
    f12_breach_firm_connection_0  f12_firm_connection_0  -1
    f12_breach_firm_connection_0  f12_firm_connection_neg_0  -1
    f13_pv_gen_0  f13_balance_0  -1
    f13_bat_charge_0  f13_bat_soc_0  -0.2375
    f13_bat_charge_0  f13_balance_0  1
    f13_bat_discharge_0  obj  0.005
    f13_bat_discharge_0  f13_bat_soc_0  0.2631578947368421
    f13_bat_discharge_0  f13_balance_0  -1
    f13_bat_breach_final_soc  obj  1000
    f13_bat_breach_final_soc  f13_bat_soc_final  1
    f13_bat_soc_0  f13_bat_soc_final  1
    f13_bat_soc_0  f13_bat_soc_0  1
    f13_exchange_0  f13_firm_connection_0  1
    f13_exchange_0  f13_firm_connection_neg_0  -1
    f13_exchange_0  f13_balance_0  -1
    f13_exchange_0  grid_balance_0  -1
    f13_breach_firm_connection_0  obj  25
    f13_breach_firm_connection_0  f13_firm_connection_0  -1
    f13_breach_firm_connection_0  f13_firm_connection_neg_0  -1
    f14_bat_charge_0  f14_bat_soc_0  -0.2375
    f14_bat_charge_0  f14_balance_0  1
    f14_bat_discharge_0  obj  0.005
    f14_bat_discharge_0  f14_bat_soc_0  0.2631578947368421
    f14_bat_discharge_0  f14_balance_0  -1
    f14_bat_breach_final_soc  obj  1000
    f14_bat_breach_final_soc  f14_bat_soc_final  1
    f14_bat_soc_0  f14_bat_soc_final  1
    f14_bat_soc_0  f14_bat_soc_0  1
    f14_exchange_0  f14_firm_connection_0  1
    f14_exchange_0  f14_firm_connection_neg_0  -1
    f14_exchange_0  f14_balance_0  -1
    f14_exchange_0  grid_balance_0  -1
    f14_breach_firm_connection_0  obj  25
    f14_breach_firm_connection_0  f14_firm_connection_0  -1
    f14_breach_firm_connection_0  f14_firm_connection_neg_0  -1
    f15_h2_power_0  f15_h2_hydrogen  0.0045
    f15_h2_power_0  f15_balance_0  1
    f15_h2_breach_hydrogen_demand  obj  55555.555555555555
    f15_h2_breach_hydrogen_demand  f15_h2_hydrogen  1
    f15_field_pv_gen_0  f15_balance_0  -1
    f15_exchange_0  f15_firm_connection_0  1
    f15_exchange_0  f15_firm_connection_neg_0  -1
    f15_exchange_0  f15_balance_0  -1
    f15_exchange_0  grid_balance_0  -1
    f15_breach_firm_connection_0  obj  25
    f15_breach_firm_connection_0  f15_firm_connection_0  -1
    f15_breach_firm_connection_0  f15_firm_connection_neg_0  -1
    f16_shed_shed_0  obj  0.2
    f16_shed_shed_0  f16_shed_energy  0.25
    f16_shed_shed_0  f16_balance_0  -1
    f16_exchange_0  f16_firm_connection_0  1
    f16_exchange_0  f16_firm_connection_neg_0  -1
    f16_exchange_0  f16_balance_0  -1
    f16_exchange_0  grid_balance_0  -1
    f16_breach_firm_connection_0  obj  25
    f16_breach_firm_connection_0  f16_firm_connection_0  -1
    f16_breach_firm_connection_0  f16_firm_connection_neg_0  -1
    f17_shed_shed_0  obj  0.45
    f17_shed_shed_0  f17_shed_energy  0.25
    f17_shed_shed_0  f17_balance_0  -1
    f17_exchange_0  f17_firm_connection_0  1
    f17_exchange_0  f17_firm_connection_neg_0  -1
    f17_exchange_0  f17_balance_0  -1
    f17_exchange_0  grid_balance_0  -1
    f17_breach_firm_connection_0  obj  25
    f17_breach_firm_connection_0  f17_firm_connection_0  -1
    f17_breach_firm_connection_0  f17_firm_connection_neg_0  -1
    f18_pv_gen_0  f18_balance_0  -1
    f18_shed_shed_0  obj  0.2375
    f18_shed_shed_0  f18_shed_energy  0.25
    f18_shed_shed_0  f18_balance_0  -1
    f18_exchange_0  f18_firm_connection_0  1
    f18_exchange_0  f18_firm_connection_neg_0  -1
    f18_exchange_0  f18_balance_0  -1
    f18_exchange_0  grid_balance_0  -1
    f18_breach_firm_connection_0  obj  25
    f18_breach_firm_connection_0  f18_firm_connection_0  -1
    f18_breach_firm_connection_0  f18_firm_connection_neg_0  -1
    f19_pv_gen_0  f19_balance_0  -1
    f19_bat_charge_0  f19_bat_soc_0  -0.2375
    f19_bat_charge_0  f19_balance_0  1
    f19_bat_discharge_0  obj  0.005
    f19_bat_discharge_0  f19_bat_soc_0  0.2631578947368421
    f19_bat_discharge_0  f19_balance_0  -1
    f19_bat_breach_final_soc  obj  1000
    f19_bat_breach_final_soc  f19_bat_soc_final  1
    f19_bat_soc_0  f19_bat_soc_final  1
    f19_bat_soc_0  f19_bat_soc_0  1
    f19_exchange_0  f19_firm_connection_0  1
    f19_exchange_0  f19_firm_connection_neg_0  -1
    f19_exchange_0  f19_balance_0  -1
    f19_exchange_0  grid_balance_0  -1
    f19_breach_firm_connection_0  obj  25
    f19_breach_firm_connection_0  f19_firm_connection_0  -1
    f19_breach_firm_connection_0  f19_firm_connection_neg_0  -1
    f20_batch_power_0  f20_batch_energy  0.25
    f20_batch_power_0  f20_balance_0  1
    f20_batch_breach_shiftable_energy  obj  1000
    f20_batch_breach_shiftable_energy  f20_batch_energy  1
    f20_shed_shed_0  obj  0.275
    f20_shed_shed_0  f20_shed_energy  0.25
    f20_shed_shed_0  f20_balance_0  -1
    f20_exchange_0  f20_firm_connection_0  1
    f20_exchange_0  f20_firm_connection_neg_0  -1
    f20_exchange_0  f20_balance_0  -1
    f20_exchange_0  grid_balance_0  -1
    f20_breach_firm_connection_0  obj  25
    f20_breach_firm_connection_0  f20_firm_connection_0  -1
    f20_breach_firm_connection_0  f20_firm_connection_neg_0  -1
    f21_pv_gen_0  f21_balance_0  -1
    f21_bat_charge_0  f21_bat_soc_0  -0.2375
    f21_bat_charge_0  f21_balance_0  1
    f21_bat_discharge_0  obj  0.005
    f21_bat_discharge_0  f21_bat_soc_0  0.2631578947368421
    f21_bat_discharge_0  f21_balance_0  -1
    f21_bat_breach_final_soc  obj  1000
    f21_bat_breach_final_soc  f21_bat_soc_final  1
    f21_bat_soc_0  f21_bat_soc_final  1
    f21_bat_soc_0  f21_bat_soc_0  1
    f21_exchange_0  f21_firm_connection_0  1
    f21_exchange_0  f21_firm_connection_neg_0  -1
    f21_exchange_0  f21_balance_0  -1
    f21_exchange_0  grid_balance_0  -1
    f21_breach_firm_connection_0  obj  25
    f21_breach_firm_connection_0  f21_firm_connection_0  -1
    f21_breach_firm_connection_0  f21_firm_connection_neg_0  -1
    f22_bat_charge_0  f22_bat_soc_0  -0.2375
    f22_bat_charge_0  f22_balance_0  1
    f22_bat_discharge_0  obj  0.005
    f22_bat_discharge_0  f22_bat_soc_0  0.2631578947368421
    f22_bat_discharge_0  f22_balance_0  -1
    f22_bat_breach_final_soc  obj  1000
    f22_bat_breach_final_soc  f22_bat_soc_final  1
    f22_bat_soc_0  f22_bat_soc_final  1
    f22_bat_soc_0  f22_bat_soc_0  1
    f22_exchange_0  f22_firm_connection_0  1
    f22_exchange_0  f22_firm_connection_neg_0  -1
    f22_exchange_0  f22_balance_0  -1
    f22_exchange_0  grid_balance_0  -1
    f22_breach_firm_connection_0  obj  25
    f22_breach_firm_connection_0  f22_firm_connection_0  -1
    f22_breach_firm_connection_0  f22_firm_connection_neg_0  -1
    f23_h2_power_0  f23_h2_hydrogen  0.0045
    f23_h2_power_0  f23_balance_0  1
    f23_h2_breach_hydrogen_demand  obj  55555.555555555555
    f23_h2_breach_hydrogen_demand  f23_h2_hydrogen  1
    f23_field_pv_gen_0  f23_balance_0  -1
    f23_exchange_0  f23_firm_connection_0  1
    f23_exchange_0  f23_firm_connection_neg_0  -1
    f23_exchange_0  f23_balance_0  -1
    f23_exchange_0  grid_balance_0  -1
    f23_breach_firm_connection_0  obj  25
    f23_breach_firm_connection_0  f23_firm_connection_0  -1
    f23_breach_firm_connection_0  f23_firm_connection_neg_0  -1
    f24_shed_shed_0  obj  0.2
    f24_shed_shed_0  f24_shed_energy  0.25
    f24_shed_shed_0  f24_balance_0  -1
    f24_exchange_0  f24_firm_connection_0  1
    f24_exchange_0  f24_firm_connection_neg_0  -1
    f24_exchange_0  f24_balance_0  -1
    f24_exchange_0  grid_balance_0  -1
    f24_breach_firm_connection_0  obj  25
    f24_breach_firm_connection_0  f24_firm_connection_0  -1
    f24_breach_firm_connection_0  f24_firm_connection_neg_0  -1
    f25_shed_shed_0  obj  0.45
    f25_shed_shed_0  f25_shed_energy  0.25
    f25_shed_shed_0  f25_balance_0  -1
    f25_exchange_0  f25_firm_connection_0  1
    f25_exchange_0  f25_firm_connection_neg_0  -1
    f25_exchange_0  f25_balance_0  -1
    f25_exchange_0  grid_balance_0  -1
    f25_breach_firm_connection_0  obj  25
    f25_breach_firm_connection_0  f25_firm_connection_0  -1
    f25_breach_firm_connection_0  f25_firm_connection_neg_0  -1
    f26_pv_gen_0  f26_balance_0  -1
    f26_shed_shed_0  obj  0.2375
    f26_shed_shed_0  f26_shed_energy  0.25
    f26_shed_shed_0  f26_balance_0  -1
    f26_exchange_0  f26_firm_connection_0  1
    f26_exchange_0  f26_firm_connection_neg_0  -1
    f26_exchange_0  f26_balance_0  -1
    f26_exchange_0  grid_balance_0  -1
    f26_breach_firm_connection_0  obj  25
    f26_breach_firm_connection_0  f26_firm_connection_0  -1
    f26_breach_firm_connection_0  f26_firm_connection_neg_0  -1
    f27_pv_gen_0  f27_balance_0  -1
    f27_bat_charge_0  f27_bat_soc_0  -0.2375
    f27_bat_charge_0  f27_balance_0  1
    f27_bat_discharge_0  obj  0.005
    f27_bat_discharge_0  f27_bat_soc_0  0.2631578947368421
    f27_bat_discharge_0  f27_balance_0  -1
    f27_bat_breach_final_soc  obj  1000
    f27_bat_breach_final_soc  f27_bat_soc_final  1
    f27_bat_soc_0  f27_bat_soc_final  1
    f27_bat_soc_0  f27_bat_soc_0  1
    f27_exchange_0  f27_firm_connection_0  1
    f27_exchange_0  f27_firm_connection_neg_0  -1
    f27_exchange_0  f27_balance_0  -1
    f27_exchange_0  grid_balance_0  -1
    f27_breach_firm_connection_0  obj  25
    f27_breach_firm_connection_0  f27_firm_connection_0  -1
    f27_breach_firm_connection_0  f27_firm_connection_neg_0  -1
    f28_batch_power_0  f28_batch_energy  0.25
    f28_batch_power_0  f28_balance_0  1
    f28_batch_breach_shiftable_energy  obj  1000
    f28_batch_breach_shiftable_energy  f28_batch_energy  1
    f28_shed_shed_0  obj  0.275
    f28_shed_shed_0  f28_shed_energy  0.25
    f28_shed_shed_0  f28_balance_0  -1
    f28_exchange_0  f28_firm_connection_0  1
    f28_exchange_0  f28_firm_connection_neg_0  -1
    f28_exchange_0  f28_balance_0  -1
    f28_exchange_0  grid_balance_0  -1
    f28_breach_firm_connection_0  obj  25
    f28_breach_firm_connection_0  f28_firm_connection_0  -1
    f28_breach_firm_connection_0  f28_firm_connection_neg_0  -1
    f29_pv_gen_0  f29_balance_0  -1
    f29_bat_charge_0  f29_bat_soc_0  -0.2375
    f29_bat_charge_0  f29_balance_0  1
    f29_bat_discharge_0  obj  0.005
    f29_bat_discharge_0  f29_bat_soc_0  0.2631578947368421
    f29_bat_discharge_0  f29_balance_0  -1
    f29_bat_breach_final_soc  obj  1000
    f29_bat_breach_final_soc  f29_bat_soc_final  1
    f29_bat_soc_0  f29_bat_soc_final  1
    f29_bat_soc_0  f29_bat_soc_0  1
    f29_exchange_0  f29_firm_connection_0  1
    f29_exchange_0  f29_firm_connection_neg_0  -1
    f29_exchange_0  f29_balance_0  -1
    f29_exchange_0  grid_balance_0  -1
    f29_breach_firm_connection_0  obj  25
    f29_breach_firm_connection_0  f29_firm_connection_0  -1
    f29_breach_firm_connection_0  f29_firm_connection_neg_0  -1
    f30_bat_charge_0  f30_bat_soc_0  -0.2375
    f30_bat_charge_0  f30_balance_0  1
    f30_bat_discharge_0  obj  0.005
    f30_bat_discharge_0  f30_bat_soc_0  0.2631578947368421
    f30_bat_discharge_0  f30_balance_0  -1
    f30_bat_breach_final_soc  obj  1000
    f30_bat_breach_final_soc  f30_bat_soc_final  1
    f30_bat_soc_0  f30_bat_soc_final  1
    f30_bat_soc_0  f30_bat_soc_0  1
    f30_exchange_0  f30_firm_connection_0  1
    f30_exchange_0  f30_firm_connection_neg_0  -1
    f30_exchange_0  f30_balance_0  -1
    f30_exchange_0  grid_balance_0  -1
    f30_breach_firm_connection_0  obj  25
    f30_breach_firm_connection_0  f30_firm_connection_0  -1
    f30_breach_firm_connection_0  f30_firm_connection_neg_0  -1
    f31_h2_power_0  f31_h2_hydrogen  0.0045
    f31_h2_power_0  f31_balance_0  1
    f31_h2_breach_hydrogen_demand  obj  55555.555555555555
    f31_h2_breach_hydrogen_demand  f31_h2_hydrogen  1
    f31_field_pv_gen_0  f31_balance_0  -1
    f31_exchange_0  f31_firm_connection_0  1
    f31_exchange_0  f31_firm_connection_neg_0  -1
    f31_exchange_0  f31_balance_0  -1
    f31_exchange_0  grid_balance_0  -1
    f31_breach_firm_connection_0  obj  25
    f31_breach_firm_connection_0  f31_firm_connection_0  -1
    f31_breach_firm_connection_0  f31_firm_connection_neg_0  -1
    f32_shed_shed_0  obj  0.2
    f32_shed_shed_0  f32_shed_energy  0.25
    f32_shed_shed_0  f32_balance_0  -1
    f32_exchange_0  f32_firm_connection_0  1
    f32_exchange_0  f32_firm_connection_neg_0  -1
    f32_exchange_0  f32_balance_0  -1
    f32_exchange_0  grid_balance_0  -1
    f32_breach_firm_connection_0  obj  25
    f32_breach_firm_connection_0  f32_firm_connection_0  -1
    f32_breach_firm_connection_0  f32_firm_connection_neg_0  -1
    f33_shed_shed_0  obj  0.45
    f33_shed_shed_0  f33_shed_energy  0.25
    f33_shed_shed_0  f33_balance_0  -1
    f33_exchange_0  f33_firm_connection_0  1
    f33_exchange_0  f33_firm_connection_neg_0  -1
    f33_exchange_0  f33_balance_0  -1
    f33_exchange_0  grid_balance_0  -1
    f33_breach_firm_connection_0  obj  25
    f33_breach_firm_connection_0  f33_firm_connection_0  -1
    f33_breach_firm_connection_0  f33_firm_connection_neg_0  -1
    f34_pv_gen_0  f34_balance_0  -1
    f34_shed_shed_0  obj  0.2375
    f34_shed_shed_0  f34_shed_energy  0.25
    f34_shed_shed_0  f34_balance_0  -1
    f34_exchange_0  f34_firm_connection_0  1
    f34_exchange_0  f34_firm_connection_neg_0  -1
    f34_exchange_0  f34_balance_0  -1
    f34_exchange_0  grid_balance_0  -1
    f34_breach_firm_connection_0  obj  25
    f34_breach_firm_connection_0  f34_firm_connection_0  -1
    f34_breach_firm_connection_0  f34_firm_connection_neg_0  -1
    f35_pv_gen_0  f35_balance_0  -1
    f35_bat_charge_0  f35_bat_soc_0  -0.2375
    f35_bat_charge_0  f35_balance_0  1
    f35_bat_discharge_0  obj  0.005
    f35_bat_discharge_0  f35_bat_soc_0  0.2631578947368421
    f35_bat_discharge_0  f35_balance_0  -1
    f35_bat_breach_final_soc  obj  1000
    f35_bat_breach_final_soc  f35_bat_soc_final  1
    f35_bat_soc_0  f35_bat_soc_final  1
    f35_bat_soc_0  f35_bat_soc_0  1
    f35_exchange_0  f35_firm_connection_0  1
    f35_exchange_0  f35_firm_connection_neg_0  -1
    f35_exchange_0  f35_balance_0  -1
    f35_exchange_0  grid_balance_0  -1
    f35_breach_firm_connection_0  obj  25
    f35_breach_firm_connection_0  f35_firm_connection_0  -1
    f35_breach_firm_connection_0  f35_firm_connection_neg_0  -1
    f36_batch_power_0  f36_batch_energy  0.25
    f36_batch_power_0  f36_balance_0  1
    f36_batch_breach_shiftable_energy  obj  1000
    f36_batch_breach_shiftable_energy  f36_batch_energy  1
    f36_shed_shed_0  obj  0.275
    f36_shed_shed_0  f36_shed_energy  0.25
    f36_shed_shed_0  f36_balance_0  -1
    f36_exchange_0  f36_firm_connection_0  1
    f36_exchange_0  f36_firm_connection_neg_0  -1
    f36_exchange_0  f36_balance_0  -1
    f36_exchange_0  grid_balance_0  -1
    f36_breach_firm_connection_0  obj  25
    f36_breach_firm_connection_0  f36_firm_connection_0  -1
    f36_breach_firm_connection_0  f36_firm_connection_neg_0  -1
    f37_pv_gen_0  f37_balance_0  -1
    f37_bat_charge_0  f37_bat_soc_0  -0.2375
    f37_bat_charge_0  f37_balance_0  1
    f37_bat_discharge_0  obj  0.005
    f37_bat_discharge_0  f37_bat_soc_0  0.2631578947368421
    f37_bat_discharge_0  f37_balance_0  -1
    f37_bat_breach_final_soc  obj  1000
    f37_bat_breach_final_soc  f37_bat_soc_final  1
    f37_bat_soc_0  f37_bat_soc_final  1
    f37_bat_soc_0  f37_bat_soc_0  1
    f37_exchange_0  f37_firm_connection_0  1
    f37_exchange_0  f37_firm_connection_neg_0  -1
    f37_exchange_0  f37_balance_0  -1
    f37_exchange_0  grid_balance_0  -1
    f37_breach_firm_connection_0  obj  25
    f37_breach_firm_connection_0  f37_firm_connection_0  -1
    f37_breach_firm_connection_0  f37_firm_connection_neg_0  -1
    f38_bat_charge_0  f38_bat_soc_0  -0.2375
    f38_bat_charge_0  f38_balance_0  1
    f38_bat_discharge_0  obj  0.005
    f38_bat_discharge_0  f38_bat_soc_0  0.2631578947368421
    f38_bat_discharge_0  f38_balance_0  -1
    f38_bat_breach_final_soc  obj  1000
    f38_bat_breach_final_soc  f38_bat_soc_final  1
    f38_bat_soc_0  f38_bat_soc_final  1
    f38_bat_soc_0  f38_bat_soc_0  1
    f38_exchange_0  f38_firm_connection_0  1
    f38_exchange_0  f38_firm_connection_neg_0  -1
    f38_exchange_0  f38_balance_0  -1
    f38_exchange_0  grid_balance_0  -1
    f38_breach_firm_connection_0  obj  25
    f38_breach_firm_connection_0  f38_firm_connection_0  -1
    f38_breach_firm_connection_0  f38_firm_connection_neg_0  -1
    f39_h2_power_0  f39_h2_hydrogen  0.0045
    f39_h2_power_0  f39_balance_0  1
    f39_h2_breach_hydrogen_demand  obj  55555.555555555555
    f39_h2_breach_hydrogen_demand  f39_h2_hydrogen  1
    f39_field_pv_gen_0  f39_balance_0  -1
    f39_exchange_0  f39_firm_connection_0  1
    f39_exchange_0  f39_firm_connection_neg_0  -1
    f39_exchange_0  f39_balance_0  -1
    f39_exchange_0  grid_balance_0  -1
    f39_breach_firm_connection_0  obj  25
    f39_breach_firm_connection_0  f39_firm_connection_0  -1
    f39_breach_firm_connection_0  f39_firm_connection_neg_0  -1
    f40_shed_shed_0  obj  0.2
    f40_shed_shed_0  f40_shed_energy  0.25
    f40_shed_shed_0  f40_balance_0  -1
    f40_exchange_0  f40_firm_connection_0  1
    f40_exchange_0  f40_firm_connection_neg_0  -1
    f40_exchange_0  f40_balance_0  -1
    f40_exchange_0  grid_balance_0  -1
    f40_breach_firm_connection_0  obj  25
    f40_breach_firm_connection_0  f40_firm_connection_0  -1
    f40_breach_firm_connection_0  f40_firm_connection_neg_0  -1
    f41_shed_shed_0  obj  0.45
    f41_shed_shed_0  f41_shed_energy  0.25
    f41_shed_shed_0  f41_balance_0  -1
    f41_exchange_0  f41_firm_connection_0  1
    f41_exchange_0  f41_firm_connection_neg_0  -1
    f41_exchange_0  f41_balance_0  -1
    f41_exchange_0  grid_balance_0  -1
    f41_breach_firm_connection_0  obj  25
    f41_breach_firm_connection_0  f41_firm_connection_0  -1
    f41_breach_firm_connection_0  f41_firm_connection_neg_0  -1
    f42_pv_gen_0  f42_balance_0  -1
    f42_shed_shed_0  obj  0.2375
    f42_shed_shed_0  f42_shed_energy  0.25
    f42_shed_shed_0  f42_balance_0  -1
    f42_exchange_0  f42_firm_connection_0  1
    f42_exchange_0  f42_firm_connection_neg_0  -1
    f42_exchange_0  f42_balance_0  -1
    f42_exchange_0  grid_balance_0  -1
    f42_breach_firm_connection_0  obj  25
    f42_breach_firm_connection_0  f42_firm_connection_0  -1
    f42_breach_firm_connection_0  f42_firm_connection_neg_0  -1
    f43_pv_gen_0  f43_balance_0  -1
    f43_bat_charge_0  f43_bat_soc_0  -0.2375
    f43_bat_charge_0  f43_balance_0  1
    f43_bat_discharge_0  obj  0.005
    f43_bat_discharge_0  f43_bat_soc_0  0.2631578947368421
    f43_bat_discharge_0  f43_balance_0  -1
    f43_bat_breach_final_soc  obj  1000
    f43_bat_breach_final_soc  f43_bat_soc_final  1
    f43_bat_soc_0  f43_bat_soc_final  1
    f43_bat_soc_0  f43_bat_soc_0  1
    f43_exchange_0  f43_firm_connection_0  1
    f43_exchange_0  f43_firm_connection_neg_0  -1
    f43_exchange_0  f43_balance_0  -1
    f43_exchange_0  grid_balance_0  -1
    f43_breach_firm_connection_0  obj  25
    f43_breach_firm_connection_0  f43_firm_connection_0  -1
    f43_breach_firm_connection_0  f43_firm_connection_neg_0  -1
    f44_batch_power_0  f44_batch_energy  0.25
    f44_batch_power_0  f44_balance_0  1
    f44_batch_breach_shiftable_energy  obj  1000
    f44_batch_breach_shiftable_energy  f44_batch_energy  1
    f44_shed_shed_0  obj  0.275
    f44_shed_shed_0  f44_shed_energy  0.25
    f44_shed_shed_0  f44_balance_0  -1
    f44_exchange_0  f44_firm_connection_0  1
    f44_exchange_0  f44_firm_connection_neg_0  -1
    f44_exchange_0  f44_balance_0  -1
    f44_exchange_0  grid_balance_0  -1
    f44_breach_firm_connection_0  obj  25
    f44_breach_firm_connection_0  f44_firm_connection_0  -1
    f44_breach_firm_connection_0  f44_firm_connection_neg_0  -1
    f45_pv_gen_0  f45_balance_0  -1
    f45_bat_charge_0  f45_bat_soc_0  -0.2375
    f45_bat_charge_0  f45_balance_0  1
    f45_bat_discharge_0  obj  0.005
    f45_bat_discharge_0  f45_bat_soc_0  0.2631578947368421
    f45_bat_discharge_0  f45_balance_0  -1
    f45_bat_breach_final_soc  obj  1000
    f45_bat_breach_final_soc  f45_bat_soc_final  1
    f45_bat_soc_0  f45_bat_soc_final  1
    f45_bat_soc_0  f45_bat_soc_0  1
    f45_exchange_0  f45_firm_connection_0  1
    f45_exchange_0  f45_firm_connection_neg_0  -1
    f45_exchange_0  f45_balance_0  -1
    f45_exchange_0  grid_balance_0  -1
    f45_breach_firm_connection_0  obj  25
    f45_breach_firm_connection_0  f45_firm_connection_0  -1
    f45_breach_firm_connection_0  f45_firm_connection_neg_0  -1
    f46_bat_charge_0  f46_bat_soc_0  -0.2375
    f46_bat_charge_0  f46_balance_0  1
    f46_bat_discharge_0  obj  0.005
    f46_bat_discharge_0  f46_bat_soc_0  0.2631578947368421
    f46_bat_discharge_0  f46_balance_0  -1
    f46_bat_breach_final_soc  obj  1000
    f46_bat_breach_final_soc  f46_bat_soc_final  1
    f46_bat_soc_0  f46_bat_soc_final  1
    f46_bat_soc_0  f46_bat_soc_0  1
    f46_exchange_0  f46_firm_connection_0  1
    f46_exchange_0  f46_firm_connection_neg_0  -1
    f46_exchange_0  f46_balance_0  -1
    f46_exchange_0  grid_balance_0  -1
    f46_breach_firm_connection_0  obj  25
    f46_breach_firm_connection_0  f46_firm_connection_0  -1
    f46_breach_firm_connection_0  f46_firm_connection_neg_0  -1
    park_field_pv_gen_0  grid_balance_0  1
    park_wind_gen_0  grid_balance_0  1
    park_bat_charge_0  park_bat_soc_0  -0.2375
    park_bat_charge_0  grid_balance_0  -1
    park_bat_discharge_0  obj  0.005
    park_bat_discharge_0  park_bat_soc_0  0.2631578947368421
    park_bat_discharge_0  grid_balance_0  1
    park_bat_breach_final_soc  obj  1000
    park_bat_breach_final_soc  park_bat_soc_final  1
    park_bat_soc_0  park_bat_soc_final  1
    park_bat_soc_0  park_bat_soc_0  1
    imbalance_above_0  obj  0.01249999999999999
    imbalance_above_0  nomination_0  -1
    imbalance_below_0  obj  0.01249999999999999
    imbalance_below_0  nomination_0  1
    peak  obj  1.27
    peak  peak_0  -1
RHS
    RHS  park_park_import_0  897144
    RHS  park_park_export_0  256327
    RHS  f01_shed_energy  3220.9999104732715
    RHS  f01_firm_connection_0  34894
    RHS  f01_firm_connection_neg_0  34894
    RHS  f01_balance_0  -25498.835420575742
    RHS  f02_shed_energy  9668.999585600166
    RHS  f02_firm_connection_0  62849
    RHS  f02_firm_connection_neg_0  62849
    RHS  f02_balance_0  -47359.80536261129
    RHS  f03_bat_soc_final  283
    RHS  f03_bat_soc_0  228.31474993930107
    RHS  f03_firm_connection_0  2535
    RHS  f03_firm_connection_neg_0  2535
    RHS  f03_balance_0  -1025.4418223605705
    RHS  f04_batch_energy  1767.4999509421032
    RHS  f04_shed_energy  8266.999753803222
    RHS  f04_firm_connection_0  40654
    RHS  f04_firm_connection_neg_0  40654
    RHS  f04_balance_0  -20194.75396779373
    RHS  f05_bat_soc_final  486
    RHS  f05_bat_soc_0  391.31638160095497
    RHS  f05_firm_connection_0  15159
    RHS  f05_firm_connection_neg_0  15159
    RHS  f05_balance_0  -2980.2784749741945
    RHS  f06_bat_soc_final  1966.5
    RHS  f06_bat_soc_0  1636.1649165259682
    RHS  f06_firm_connection_0  26819
    RHS  f06_firm_connection_neg_0  26819
    RHS  f06_balance_0  -18385.53700120689
    RHS  f07_h2_hydrogen  75.64049907822255
    RHS  f07_firm_connection_0  23311
    RHS  f07_firm_connection_neg_0  23311
    RHS  f07_balance_0  -4737.068651645316
    RHS  f08_shed_energy  4436.617134646334
    RHS  f08_firm_connection_0  52189
    RHS  f08_firm_connection_neg_0  52189
    RHS  f08_balance_0  -14674.861823837105
    RHS  f09_shed_energy  4050.9999104714534
    RHS  f09_firm_connection_0  43883
    RHS  f09_firm_connection_neg_0  43883
    RHS  f09_balance_0  -32044.858211084673
    RHS  f10_shed_energy  6924.999585609067
    RHS  f10_firm_connection_0  45011
    RHS  f10_firm_connection_neg_0  45011
    RHS  f10_balance_0  -33658.225153182546
    RHS  f11_bat_soc_final  323
    RHS  f11_bat_soc_0  259.88474861251746
    RHS  f11_firm_connection_0  3872
    RHS  f11_firm_connection_neg_0  3872
    RHS  f11_balance_0  -1291.8388760761036
    RHS  f12_batch_energy  1811.4999509405025
    RHS  f12_shed_energy  8318.999753803104
    RHS  f12_firm_connection_0  41041
    RHS  f12_firm_connection_neg_0  41041
    RHS  f12_balance_0  -20873.00672438919
    RHS  f13_bat_soc_final  316
    RHS  f13_bat_soc_0  254.25542523791128
    RHS  f13_firm_connection_0  7917
    RHS  f13_firm_connection_neg_0  7917
    RHS  f13_balance_0  -2104.0871828910786
    RHS  f14_bat_soc_final  1290
    RHS  f14_bat_soc_0  1071.1926175995545
    RHS  f14_firm_connection_0  19376
    RHS  f14_firm_connection_neg_0  19376
    RHS  f14_balance_0  -12318.150109034621
    RHS  f15_h2_hydrogen  105.39899907004656
    RHS  f15_firm_connection_0  27074
    RHS  f15_firm_connection_neg_0  27074
    RHS  f15_balance_0  -2682.5756937285787
    RHS  f16_shed_energy  3249.387155581424
    RHS  f16_firm_connection_0  37944
    RHS  f16_firm_connection_neg_0  37944
    RHS  f16_balance_0  -13410.854286481226
    RHS  f17_shed_energy  3167.999910473434
    RHS  f17_firm_connection_0  34322
    RHS  f17_firm_connection_neg_0  34322
    RHS  f17_balance_0  -25210.851508663323
    RHS  f18_shed_energy  7220.999585607726
    RHS  f18_firm_connection_0  46937
    RHS  f18_firm_connection_neg_0  46937
    RHS  f18_balance_0  -35007.08852914806
    RHS  f19_bat_soc_final  320
    RHS  f19_bat_soc_0  257.44882950852735
    RHS  f19_firm_connection_0  3509
    RHS  f19_firm_connection_neg_0  3509
    RHS  f19_balance_0  -1310.3127440689136
    RHS  f20_batch_energy  1265.7499510616035
    RHS  f20_shed_energy  5921.999753808288
    RHS  f20_firm_connection_0  29123
    RHS  f20_firm_connection_neg_0  29123
    RHS  f20_balance_0  -14579.772239945047
    RHS  f21_bat_soc_final  310
    RHS  f21_bat_soc_0  249.36760947196564
    RHS  f21_firm_connection_0  9354
    RHS  f21_firm_connection_neg_0  9354
    RHS  f21_balance_0  -1971.5126769131693
    RHS  f22_bat_soc_final  1408.5
    RHS  f22_bat_soc_0  1171.4638470398704
    RHS  f22_firm_connection_0  21106
    RHS  f22_firm_connection_neg_0  21106
    RHS  f22_balance_0  -13032.073178622952
    RHS  f23_h2_hydrogen  100.3229990691143
    RHS  f23_firm_connection_0  25115
    RHS  f23_firm_connection_neg_0  25115
    RHS  f23_balance_0  -2044.3514278823693
    RHS  f24_shed_energy  2980.168687958512
    RHS  f24_firm_connection_0  34453
    RHS  f24_firm_connection_neg_0  34453
    RHS  f24_balance_0  -9591.241317692167
    RHS  f25_shed_energy  4205.999910471233
    RHS  f25_firm_connection_0  45564
    RHS  f25_firm_connection_neg_0  45564
    RHS  f25_balance_0  -33632.20426058516
    RHS  f26_shed_energy  12292.999585595757
    RHS  f26_firm_connection_0  79904
    RHS  f26_firm_connection_neg_0  79904
    RHS  f26_balance_0  -61090.925634672756
    RHS  f27_bat_soc_final  142
    RHS  f27_bat_soc_0  114.6234440430614
    RHS  f27_firm_connection_0  1559
    RHS  f27_firm_connection_neg_0  1559
    RHS  f27_balance_0  -730.9510186579797
    RHS  f28_batch_energy  877.4999382202877
    RHS  f28_shed_energy  4104.999753818226
    RHS  f28_firm_connection_0  20185
    RHS  f28_firm_connection_neg_0  20185
    RHS  f28_balance_0  -10027.071069536743
    RHS  f29_bat_soc_final  548
    RHS  f29_bat_soc_0  441.48520943452877
    RHS  f29_firm_connection_0  16983
    RHS  f29_firm_connection_neg_0  16983
    RHS  f29_balance_0  -1934.572216108662
    RHS  f30_bat_soc_final  1890.5
    RHS  f30_bat_soc_0  1581.0429771714412
    RHS  f30_firm_connection_0  26370
    RHS  f30_firm_connection_neg_0  26370
    RHS  f30_balance_0  -17481.73479801092
    RHS  f31_h2_hydrogen  97.6814990694802
    RHS  f31_firm_connection_0  25662
    RHS  f31_firm_connection_neg_0  25662
    RHS  f31_balance_0  -3005.180588240759
    RHS  f32_shed_energy  2848.4744127585927
    RHS  f32_firm_connection_0  32856
    RHS  f32_firm_connection_neg_0  32856
    RHS  f32_balance_0  -10695.004010147843
    RHS  f33_shed_energy  3047.9999104738044
    RHS  f33_firm_connection_0  33016
    RHS  f33_firm_connection_neg_0  33016
    RHS  f33_balance_0  -24849.875721114437
    RHS  f34_shed_energy  12767.999585595386
    RHS  f34_firm_connection_0  82994
    RHS  f34_firm_connection_neg_0  82994
    RHS  f34_balance_0  -61693.596709603895
    RHS  f35_bat_soc_final  273
    RHS  f35_bat_soc_0  219.76079741888205
    RHS  f35_firm_connection_0  2183
    RHS  f35_firm_connection_neg_0  2183
    RHS  f35_balance_0  -923.8036870027692
    RHS  f36_batch_energy  1081.999951130565
    RHS  f36_shed_energy  5057.999753811954
    RHS  f36_firm_connection_0  24874
    RHS  f36_firm_connection_neg_0  24874
    RHS  f36_balance_0  -13998.750269710305
    RHS  f37_bat_soc_final  410
    RHS  f37_bat_soc_0  329.83860686172704
    RHS  f37_firm_connection_0  12377
    RHS  f37_firm_connection_neg_0  12377
    RHS  f37_balance_0  -2608.5886216318313
    RHS  f38_bat_soc_final  1701
    RHS  f38_bat_soc_0  1417.4664125320048
    RHS  f38_firm_connection_0  25210
    RHS  f38_firm_connection_neg_0  25210
    RHS  f38_balance_0  -16409.967431594818
    RHS  f39_h2_hydrogen  88.54199907722705
    RHS  f39_firm_connection_0  26141
    RHS  f39_firm_connection_neg_0  26141
    RHS  f39_balance_0  -4825.604296722365
    RHS  f40_shed_energy  3275.139602753599
    RHS  f40_firm_connection_0  37993
    RHS  f40_firm_connection_neg_0  37993
    RHS  f40_balance_0  -12367.230921689046
    RHS  f41_shed_energy  6562.999910469439
    RHS  f41_firm_connection_0  71096
    RHS  f41_firm_connection_neg_0  71096
    RHS  f41_balance_0  -53071.294661781336
    RHS  f42_shed_energy  7386.99958560686
    RHS  f42_firm_connection_0  48015
    RHS  f42_firm_connection_neg_0  48015
    RHS  f42_balance_0  -36185.52026585344
    RHS  f43_bat_soc_final  161
    RHS  f43_bat_soc_0  130.74298571533035
    RHS  f43_firm_connection_0  1019
    RHS  f43_firm_connection_neg_0  1019
    RHS  f43_balance_0  -547.114775708087
    RHS  f44_batch_energy  2193.499951033882
    RHS  f44_shed_energy  10151.999753801021
    RHS  f44_firm_connection_0  50015
    RHS  f44_firm_connection_neg_0  50015
    RHS  f44_balance_0  -25883.60451213511
    RHS  f45_bat_soc_final  457
    RHS  f45_bat_soc_0  368.0322521172616
    RHS  f45_firm_connection_0  12729
    RHS  f45_firm_connection_neg_0  12729
    RHS  f45_balance_0  -1341.5437576518827
    RHS  f46_bat_soc_final  906
    RHS  f46_bat_soc_0  753.2353969254654
    RHS  f46_firm_connection_0  12985
    RHS  f46_firm_connection_neg_0  12985
    RHS  f46_balance_0  -9015.603351822965
    RHS  park_bat_soc_final  85442
    RHS  park_bat_soc_0  75295.76257753404
    RHS  nomination_0  753016.7292990094
BOUNDS
 UP BND  f01_shed_shed_0  805
 FR BND  f01_exchange_0
 FX BND  f02_pv_gen_0  0
 UP BND  f02_shed_shed_0  2417
 FR BND  f02_exchange_0
 FX BND  f03_pv_gen_0  0
 UP BND  f03_bat_charge_0  283
 UP BND  f03_bat_discharge_0  283
 UP BND  f03_bat_breach_final_soc  226.4
 LO BND  f03_bat_soc_0  56.6
 UP BND  f03_bat_soc_0  566
 FR BND  f03_exchange_0
 UP BND  f04_batch_power_0  7070
 UP BND  f04_batch_breach_shiftable_energy  1767.4999509421032
 UP BND  f04_shed_shed_0  2067
 FR BND  f04_exchange_0
 FX BND  f05_pv_gen_0  0
 UP BND  f05_bat_charge_0  486
 UP BND  f05_bat_discharge_0  486
 UP BND  f05_bat_breach_final_soc  388.8
 LO BND  f05_bat_soc_0  97.2
 UP BND  f05_bat_soc_0  972
 FR BND  f05_exchange_0
 UP BND  f06_bat_charge_0  3933
 UP BND  f06_bat_discharge_0  3933
 UP BND  f06_bat_breach_final_soc  1573.2
 LO BND  f06_bat_soc_0  393.3
 UP BND  f06_bat_soc_0  3933
 FR BND  f06_exchange_0
 UP BND  f07_h2_power_0  16809
 FX BND  f07_field_pv_gen_0  0
 FR BND  f07_exchange_0
 UP BND  f08_shed_shed_0  1977
 FR BND  f08_exchange_0
 UP BND  f09_shed_shed_0  1013
 FR BND  f09_exchange_0
 FX BND  f10_pv_gen_0  0
 UP BND  f10_shed_shed_0  1731
 FR BND  f10_exchange_0
 FX BND  f11_pv_gen_0  0
 UP BND  f11_bat_charge_0  323
 UP BND  f11_bat_discharge_0  323
 UP BND  f11_bat_breach_final_soc  258.4
 LO BND  f11_bat_soc_0  64.60000000000001
 UP BND  f11_bat_soc_0  646
 FR BND  f11_exchange_0
 UP BND  f12_batch_power_0  7246
 UP BND  f12_batch_breach_shiftable_energy  1811.4999509405025
 UP BND  f12_shed_shed_0  2080
 FR BND  f12_exchange_0
 FX BND  f13_pv_gen_0  0
 UP BND  f13_bat_charge_0  316
 UP BND  f13_bat_discharge_0  316
 UP BND  f13_bat_breach_final_soc  252.8
 LO BND  f13_bat_soc_0  63.2
 UP BND  f13_bat_soc_0  632
 FR BND  f13_exchange_0
 UP BND  f14_bat_charge_0  2580
 UP BND  f14_bat_discharge_0  2580
 UP BND  f14_bat_breach_final_soc  1032
 LO BND  f14_bat_soc_0  258
 UP BND  f14_bat_soc_0  2580
 FR BND  f14_exchange_0
 UP BND  f15_h2_power_0  23422
 FX BND  f15_field_pv_gen_0  0
 FR BND  f15_exchange_0
 UP BND  f16_shed_shed_0  1429
 FR BND  f16_exchange_0
 UP BND  f17_shed_shed_0  792
 FR BND  f17_exchange_0
 FX BND  f18_pv_gen_0  0
 UP BND  f18_shed_shed_0  1805
 FR BND  f18_exchange_0
 FX BND  f19_pv_gen_0  0
 UP BND  f19_bat_charge_0  320
 UP BND  f19_bat_discharge_0  320
 UP BND  f19_bat_breach_final_soc  256
 LO BND  f19_bat_soc_0  64
 UP BND  f19_bat_soc_0  640
 FR BND  f19_exchange_0
 UP BND  f20_batch_power_0  5063
 UP BND  f20_batch_breach_shiftable_energy  1265.7499510616035
 UP BND  f20_shed_shed_0  1481
 FR BND  f20_exchange_0
 FX BND  f21_pv_gen_0  0
 UP BND  f21_bat_charge_0  310
 UP BND  f21_bat_discharge_0  310
 UP BND  f21_bat_breach_final_soc  248
 LO BND  f21_bat_soc_0  62
 UP BND  f21_bat_soc_0  620
 FR BND  f21_exchange_0
 UP BND  f22_bat_charge_0  2817
 UP BND  f22_bat_discharge_0  2817
 UP BND  f22_bat_breach_final_soc  1126.8
 LO BND  f22_bat_soc_0  281.7
 UP BND  f22_bat_soc_0  2817
 FR BND  f22_exchange_0
 UP BND  f23_h2_power_0  22294
 FX BND  f23_field_pv_gen_0  0
 FR BND  f23_exchange_0
 UP BND  f24_shed_shed_0  1305
 FR BND  f24_exchange_0
 UP BND  f25_shed_shed_0  1051
 FR BND  f25_exchange_0
 FX BND  f26_pv_gen_0  0
 UP BND  f26_shed_shed_0  3073
 FR BND  f26_exchange_0
 FX BND  f27_pv_gen_0  0
 UP BND  f27_bat_charge_0  142
 UP BND  f27_bat_discharge_0  142
 UP BND  f27_bat_breach_final_soc  113.6
 LO BND  f27_bat_soc_0  28.4
 UP BND  f27_bat_soc_0  284
 FR BND  f27_exchange_0
 UP BND  f28_batch_power_0  3510
 UP BND  f28_batch_breach_shiftable_energy  877.4999382202877
 UP BND  f28_shed_shed_0  1026
 FR BND  f28_exchange_0
 FX BND  f29_pv_gen_0  0
 UP BND  f29_bat_charge_0  548
 UP BND  f29_bat_discharge_0  548
 UP BND  f29_bat_breach_final_soc  438.4
 LO BND  f29_bat_soc_0  109.6
 UP BND  f29_bat_soc_0  1096
 FR BND  f29_exchange_0
 UP BND  f30_bat_charge_0  3781
 UP BND  f30_bat_discharge_0  3781
 UP BND  f30_bat_breach_final_soc  1512.4
 LO BND  f30_bat_soc_0  378.1
 UP BND  f30_bat_soc_0  3781
 FR BND  f30_exchange_0
 UP BND  f31_h2_power_0  21707
 FX BND  f31_field_pv_gen_0  0
 FR BND  f31_exchange_0
 UP BND  f32_shed_shed_0  1245
 FR BND  f32_exchange_0
 UP BND  f33_shed_shed_0  762
 FR BND  f33_exchange_0
 FX BND  f34_pv_gen_0  0
 UP BND  f34_shed_shed_0  3192
 FR BND  f34_exchange_0
 FX BND  f35_pv_gen_0  0
 UP BND  f35_bat_charge_0  273
 UP BND  f35_bat_discharge_0  273
 UP BND  f35_bat_breach_final_soc  218.4
 LO BND  f35_bat_soc_0  54.6
 UP BND  f35_bat_soc_0  546
 FR BND  f35_exchange_0
 UP BND  f36_batch_power_0  4328
 UP BND  f36_batch_breach_shiftable_energy  1081.999951130565
 UP BND  f36_shed_shed_0  1264
 FR BND  f36_exchange_0
 FX BND  f37_pv_gen_0  0
 UP BND  f37_bat_charge_0  410
 UP BND  f37_bat_discharge_0  410
 UP BND  f37_bat_breach_final_soc  328
 LO BND  f37_bat_soc_0  82
 UP BND  f37_bat_soc_0  820
 FR BND  f37_exchange_0
 UP BND  f38_bat_charge_0  3402
 UP BND  f38_bat_discharge_0  3402
 UP BND  f38_bat_breach_final_soc  1360.7999999999997
 LO BND  f38_bat_soc_0  340.20000000000016
 UP BND  f38_bat_soc_0  3402
 FR BND  f38_exchange_0
 UP BND  f39_h2_power_0  19676
 FX BND  f39_field_pv_gen_0  0
 FR BND  f39_exchange_0
 UP BND  f40_shed_shed_0  1440
 FR BND  f40_exchange_0
 UP BND  f41_shed_shed_0  1641
 FR BND  f41_exchange_0
 FX BND  f42_pv_gen_0  0
 UP BND  f42_shed_shed_0  1847
 FR BND  f42_exchange_0
 FX BND  f43_pv_gen_0  0
 UP BND  f43_bat_charge_0  161
 UP BND  f43_bat_discharge_0  161
 UP BND  f43_bat_breach_final_soc  128.8
 LO BND  f43_bat_soc_0  32.2
 UP BND  f43_bat_soc_0  322
 FR BND  f43_exchange_0
 UP BND  f44_batch_power_0  8774
 UP BND  f44_batch_breach_shiftable_energy  2193.499951033882
 UP BND  f44_shed_shed_0  2538
 FR BND  f44_exchange_0
 FX BND  f45_pv_gen_0  0
 UP BND  f45_bat_charge_0  457
 UP BND  f45_bat_discharge_0  457
 UP BND  f45_bat_breach_final_soc  365.6
 LO BND  f45_bat_soc_0  91.4
 UP BND  f45_bat_soc_0  914
 FR BND  f45_exchange_0
 UP BND  f46_bat_charge_0  1812
 UP BND  f46_bat_discharge_0  1812
 UP BND  f46_bat_breach_final_soc  724.8
 LO BND  f46_bat_soc_0  181.2
 UP BND  f46_bat_soc_0  1812
 FR BND  f46_exchange_0
 FX BND  park_field_pv_gen_0  0
 UP BND  park_wind_gen_0  209829.4220784336
 UP BND  park_bat_charge_0  42721
 UP BND  park_bat_discharge_0  42721
 UP BND  park_bat_breach_final_soc  68354
 LO BND  park_bat_soc_0  17088
 UP BND  park_bat_soc_0  170885
 LO BND  peak  770326.9038337438
ENDATA
