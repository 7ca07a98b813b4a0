import Foundation
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

/// The reader works on the file's bytes: line ends, letter case of markers and UTF-8 names.
@Suite("MPS reader: bytes, line ends and markers")
struct MPSBytesTests {
    /// CRLF, lone CR and LF ends count one line each, so errors name the same line.
    @Test func lineEndsCountOneLineEach() throws {
        let twice = MPSInputTests.model.replacingOccurrences(
            of: "    RHS       DEMAND    2.0", with: "    RHS       DEMAND    2.0\n    RHS       DEMAND    3.0")
        for end in ["\r\n", "\r", "\n"] {
            let text = twice.replacingOccurrences(of: "\n", with: end)
            do { _ = try MPSReader.parse(text, file: "t.mps"); Issue.record("expected an error") } catch {
                #expect("\(error)".contains("t.mps:9") && "\(error)".contains("first on line 8"), "\(error)")
            }
        }
        // An empty line between CR and LF ends ("\n\r") is a line of its own.
        let gap = MPSInputTests.model.replacingOccurrences(of: "ROWS\n", with: "ROWS\n\r")
            .replacingOccurrences(of: "    RHS       DEMAND    2.0", with: "    RHS       NOROW     2.0")
        do { _ = try MPSReader.parse(gap, file: "g.mps"); Issue.record("expected an error") } catch {
            #expect("\(error)".contains("g.mps:9") && "\(error)".contains("undeclared row 'NOROW'"), "\(error)")
        }
    }

    /// An empty file, a byte-order mark alone and a cut-off file are refused as truncated,
    /// naming the last non-empty line (none in the first two); a file ending in CRLF reads.
    @Test func truncatedAndUnterminatedFiles() throws {
        for text in ["", "\u{FEFF}", "NAME x\nROWS\n N obj\n\n\n"] {
            do { _ = try MPSReader.parse(text, file: "cut.mps"); Issue.record("expected an error for \(text.debugDescription)") } catch {
                let expected = (text.hasPrefix("NAME") ? "cut.mps:3: " : "cut.mps: ") + "missing ENDATA (file truncated?)"
                #expect("\(error)" == expected, "\(error)")
            }
        }
        let crlf = MPSInputTests.model.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        #expect(try MPSReader.parse(crlf).rowLower == [2])
    }

    /// Integer markers are recognised in any letter case, names keep their UTF-8 bytes.
    @Test func markersInAnyCaseAndUTF8Names() throws {
        let text = "NAME m\nROWS\n N obj\n L cäp\nCOLUMNS\n m 'marker' 'intorg'\n x obj -1 cäp 1\n m 'Marker' 'IntEnd'\n"
            + " ý obj -1 cäp 1\nRHS\n RHS cäp 2.5\nBOUNDS\n UP BND ý 1D0\nENDATA\n"
        let lp = try MPSReader.parse(text)
        #expect(lp.integrality == [true, false])
        #expect(lp.rowNames == ["cäp"] && lp.columnNames == ["x", "ý"])
        #expect(lp.rowUpper == [2.5] && lp.columnUpper == [1, 1])
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
