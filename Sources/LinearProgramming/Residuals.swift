import LinearAlgebra

/// Residuals of a primal-dual solution on the boxed model, reported in results:
/// primal infeasibility (rows and bounds) relative to 1 + the largest finite bound, relative dual infeasibility of the
/// reduced costs' signs, and the relative gap between cᵀx and the dual objective.
enum Residuals {
    static func fill(_ r: inout SolveResult, model: LinearProgram) {
        let a = model.matrix
        let x = r.x, y = r.rowDuals
        let activity = a.multiply(x)
        r.rowActivity = activity
        let reduced = zip(model.objective, a.multiplyTransposed(y)).map { $0 - $1 }
        r.reducedCosts = reduced
        var pinf = 0.0, scaleP = 0.0
        for i in 0..<model.rowCount {
            pinf = max(pinf, model.rowLower[i] - activity[i], activity[i] - model.rowUpper[i])
            if model.rowLower[i].isFinite { scaleP = max(scaleP, abs(model.rowLower[i])) }
            if model.rowUpper[i].isFinite { scaleP = max(scaleP, abs(model.rowUpper[i])) }
        }
        for j in 0..<model.columnCount {
            pinf = max(pinf, model.columnLower[j] - x[j], x[j] - model.columnUpper[j])
            if model.columnLower[j].isFinite { scaleP = max(scaleP, abs(model.columnLower[j])) }
            if model.columnUpper[j].isFinite { scaleP = max(scaleP, abs(model.columnUpper[j])) }
        }
        if debugIPM {
            for i in 0..<model.rowCount where max(model.rowLower[i] - activity[i], activity[i] - model.rowUpper[i]) > 1e-9 {
                debugLog("row \(model.rowName(i)) [\(model.rowLower[i]), \(model.rowUpper[i])] activity \(activity[i])")
            }
            for j in 0..<model.columnCount where max(model.columnLower[j] - x[j], x[j] - model.columnUpper[j]) > 1e-9 {
                debugLog("column \(model.columnName(j)) [\(model.columnLower[j]), \(model.columnUpper[j])] x \(x[j])")
            }
        }
        // Dual: the reduced cost of a column may be positive only with a finite lower
        // bound, negative only with a finite upper bound (row duals likewise).
        var dinf = 0.0
        var dualObjective = model.objectiveOffset
        for j in 0..<model.columnCount {
            let d = reduced[j]
            if d > 0 {
                if model.columnLower[j].isFinite { dualObjective += d * model.columnLower[j] } else { dinf = max(dinf, d) }
            } else if d < 0 {
                if model.columnUpper[j].isFinite { dualObjective += d * model.columnUpper[j] } else { dinf = max(dinf, -d) }
            }
        }
        for i in 0..<model.rowCount {
            let v = y[i]
            if v > 0 {
                if model.rowLower[i].isFinite { dualObjective += v * model.rowLower[i] } else { dinf = max(dinf, v) }
            } else if v < 0 {
                if model.rowUpper[i].isFinite { dualObjective += v * model.rowUpper[i] } else { dinf = max(dinf, -v) }
            }
        }
        let objective = model.objectiveValue(x)
        r.objective = objective
        r.primalInfeasibility = pinf / (1 + scaleP)
        r.dualInfeasibility = dinf / (1 + Vec.normInf(model.objective))
        r.relativeGap = abs(objective - dualObjective) / (1 + abs(objective))
    }
}
