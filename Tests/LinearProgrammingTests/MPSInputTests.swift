import LinearProgramming
import Testing

/// MPS input at the edges: a byte-order mark, CR-only lines, a repeated RHS entry.
@Suite("MPS reader: BOM and duplicate RHS")
struct MPSInputTests {
    static let model = """
    NAME          TINY
    ROWS
     N  COST
     G  DEMAND
    COLUMNS
        X         COST      1.0        DEMAND    1.0
    RHS
        RHS       DEMAND    2.0
    ENDATA
    """

    @Test func byteOrderMarkIsNotPartOfTheName() throws {
        let lp = try MPSReader.parse("\u{FEFF}" + Self.model)
        #expect(lp.name == "TINY" && lp.rowLower == [2])
        let cr = try MPSReader.parse(Self.model.replacingOccurrences(of: "\n", with: "\r"))
        #expect(cr.rowLower == [2])
    }

    /// The docs say duplicates are errors: a second RHS for a row (or for the objective's
    /// constant) names both lines instead of keeping the last.
    @Test func duplicateRHSIsAnError() throws {
        let twice = Self.model.replacingOccurrences(of: "    RHS       DEMAND    2.0", with: "    RHS       DEMAND    2.0\n    RHS       DEMAND    3.0")
        do { _ = try MPSReader.parse(twice, file: "t.mps"); Issue.record("expected an error") } catch {
            #expect("\(error)".contains("t.mps:9") && "\(error)".contains("duplicate RHS entry for row 'DEMAND' (first on line 8)"), "\(error)")
        }
        let objective = Self.model.replacingOccurrences(of: "    RHS       DEMAND    2.0", with: "    RHS       COST      1.0\n    RHS       COST      4.0")
        #expect(throws: MPSError.self) { try MPSReader.parse(objective) }
    }
}

/// A model that cannot be solved says which coefficient, by column and row.
@Suite("LP model validation names the place")
struct LPValidationTests {
    @Test func nonFiniteCoefficientIsNamed() throws {
        var b = ModelBuilder()
        let x = b.addVariable(lower: 0, cost: 1, name: "f01_bat.charge[3]")
        b.addConstraint([(x, .infinity)], lower: 1, upper: .infinity, name: "balance[3]")
        do { _ = try LPSolver.solve(b.build()); Issue.record("expected an error") } catch {
            #expect("\(error)".contains("the coefficient of f01_bat.charge[3] in row balance[3] is inf"), "\(error)")
        }
    }
}
