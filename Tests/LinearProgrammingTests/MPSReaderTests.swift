import LinearProgramming
import TestSupport
import Testing

@Suite("MPS reader: every feature and malformed input")
struct MPSReaderTests {
    /// Fixed MPS with names holding blanks (as in forplan), CRLF line ends, an empty
    /// RHS set name, RANGES on E/L/G rows, an objective constant, and numbers like `.5`/`2.`.
    /// A fixed-format data line: fields at columns 2–3, 5–12, 15–22, 25–36, 40–47, 50–61.
    static func fixed(_ f1: String, _ f2: String, _ f3: String = "", _ f4: String = "", _ f5: String = "", _ f6: String = "") -> String {
        func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
        let line = " " + pad(f1, 2) + " " + pad(f2, 8) + "  " + pad(f3, 8) + "  " + pad(f4, 12) + "   " + pad(f5, 8) + "  " + f6
        return String(line.reversed().drop(while: { $0 == " " }).reversed())
    }

    let fixedText = [
        "NAME          FIXED TEST",
        "ROWS",
        fixed("N", "COST"), fixed("E", "ROW A 1"), fixed("L", "LIM2"), fixed("G", "LIM3"), fixed("E", "EQ4"),
        "COLUMNS",
        fixed("", "X 1", "COST", "1.", "ROW A 1", ".5"),
        fixed("", "X 1", "LIM2", "1."),
        fixed("", "Y 2", "COST", "-2.", "LIM3", "1."),
        fixed("", "Y 2", "EQ4", "1."),
        "RHS",
        fixed("", "", "ROW A 1", "1.", "LIM2", "4."),
        fixed("", "", "LIM3", "1.", "EQ4", "2."),
        fixed("", "", "COST", "-7.5"),
        "RANGES",
        fixed("", "RNG", "ROW A 1", "2.", "LIM2", "3."),
        fixed("", "RNG", "LIM3", "-2.", "EQ4", "-1."),
        "BOUNDS",
        fixed("UP", "BND", "X 1", "8."),
        "ENDATA",
    ].joined(separator: "\r\n")

    @Test func fixedFormatWithBlanksCRLFRangesAndConstant() throws {
        let lp = try MPSReader.parse(fixedText)
        #expect(lp.name == "FIXED TEST")
        #expect(lp.rowNames == ["ROW A 1", "LIM2", "LIM3", "EQ4"])
        #expect(lp.columnNames == ["X 1", "Y 2"])
        #expect(lp.objective == [1, -2])
        #expect(lp.objectiveOffset == 7.5)
        // E with R > 0: [1, 3];  L: [4 − 3, 4];  G with R < 0: [1, 1 + 2];  E with R < 0: [1, 2].
        #expect(lp.rowLower == [1, 1, 1, 1])
        #expect(lp.rowUpper == [3, 4, 3, 2])
        #expect(lp.matrix[0, 0] == 0.5 && lp.matrix[1, 0] == 1 && lp.matrix[3, 1] == 1)
        #expect(lp.columnUpper == [8, .infinity])
    }

    @Test func freeFormatBoundsAndObjsense() throws {
        let text = """
        NAME free_test
        OBJSENSE
            MAX
        ROWS
         N obj
         L c1
         N extra
        COLUMNS
            a obj 1 c1 1
            a extra 5
            MARKER 'MARKER' 'INTORG'
            b obj 2 c1 1
            MARKER 'MARKER' 'INTEND'
            c obj 1 c1 1
            d obj 1 c1 1
            e obj 1 c1 1
            f obj 1 c1 1
            g obj 1 c1 1
            h obj 1 c1 1
        RHS
            c1 10
        BOUNDS
         UP BND a -2
         LO BND b 1
         FX BND c 3
         FR BND d
         MI BND e
         UP BND e 4
         PL BND f
         BV BND g
         LI BND h 2
         UI BND h 5
        ENDATA
        """
        let lp = try MPSReader.parse(text)
        #expect(lp.sense == .maximize)
        #expect(lp.rowCount == 1)  // the second N row is dropped
        #expect(lp.columnLower == [-.infinity, 1, 3, -.infinity, -.infinity, 0, 0, 2])
        #expect(lp.columnUpper == [-2, .infinity, 3, .infinity, 4, .infinity, 1, 5])
        let kept = try MPSReader.parse(text, options: .init(keepFreeRows: true))
        #expect(kept.rowCount == 2 && kept.rowLower[1] == -.infinity && kept.rowUpper[1] == .infinity)
    }

    @Test func objsenseOnTheSameLine() throws {
        let lp = try MPSReader.parse("NAME t\nOBJSENSE MAXIMIZE\nROWS\n N o\nCOLUMNS\n x o 1\nENDATA\n")
        #expect(lp.sense == .maximize)
    }

    @Test(arguments: [
        ("NAME t\nROWS\n N o\nFOO\nENDATA\n", 4, "unknown section"),
        ("NAME t\nROWS\n N o\n L r\nCOLUMNS\n x o 1x\nENDATA\n", 6, "bad number"),
        ("NAME t\nROWS\n N o\nCOLUMNS\n x r 1\nENDATA\n", 5, "undeclared row"),
        ("NAME t\nROWS\n N o\n L r\nCOLUMNS\n x r 1\n x r 2\nENDATA\n", 7, "duplicate entry"),
        ("NAME t\nROWS\n N o\nCOLUMNS\n x o 1\nBOUNDS\n UP BND y 1\nENDATA\n", 7, "undeclared column"),
        ("NAME t\nROWS\n N o\n L r\nCOLUMNS\n x r 1\nRHS\n RHS q 1\nENDATA\n", 8, "undeclared row"),
        ("NAME t\nROWS\n N o\n X r\nENDATA\n", 4, "unknown row type"),
        ("NAME t\nROWS\n N o\n L r\n L r\nENDATA\n", 5, "duplicate row"),
        ("NAME t\nROWS\n N o\nCOLUMNS\n x o 1\nBOUNDS\n ZZ BND x 1\nENDATA\n", 7, "unknown bound type"),
        ("NAME t\nROWS\n N o\nCOLUMNS\n x o 1\n", 5, "missing ENDATA"),
        ("NAME t\nROWS\n N o\nCOLUMNS\n x o nan\nENDATA\n", 5, "bad number"),
    ] as [(String, Int, String)])
    func malformedInputNamesTheLine(text: String, line: Int, message: String) {
        do {
            _ = try MPSReader.parse(text, file: "bad.mps")
            Issue.record("expected an error containing '\(message)'")
        } catch let e as MPSError {
            #expect(e.line == line)
            #expect(e.message.contains(message), "\(e)")
            #expect(e.description.hasPrefix("bad.mps:\(line):"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: MPSError.self) { try MPSReader.read(path: "/nonexistent/x.mps") }
    }

    @Test(.requires("MPSReaderTests/readsNetlibQuirks", .shared("Netlib LP sets")))
    func readsNetlibQuirks() throws {
        // gzip + CRLF; names with blanks; empty RHS set; objective constant; PL bounds; 112 N rows.
        let afiro = try MPSReader.read(path: SharedData.netlib("afiro"))
        #expect(afiro.rowCount == 27 && afiro.columnCount == 32 && afiro.matrix.nonzeros == 83)
        let forplan = try MPSReader.read(path: SharedData.netlib("forplan"))
        #expect(forplan.rowNames.contains { $0.contains(" ") })
        #expect(forplan.rowCount == 161 && forplan.columnCount == 421)
        let e226 = try MPSReader.read(path: SharedData.netlib("e226"))
        #expect(abs(e226.objectiveOffset - 7.113) < 1e-12)
        let blend = try MPSReader.read(path: SharedData.netlib("blend"))
        #expect(blend.rowLower.contains { $0 != 0 })
        let greenbea = try MPSReader.read(path: SharedData.infeasible("greenbea"))
        #expect(greenbea.rowCount == 2393)  // 2202 E + 84 G + 107 L; 112 N rows, the first the objective
    }
}
