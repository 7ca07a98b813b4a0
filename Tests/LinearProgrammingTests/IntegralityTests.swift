import LinearAlgebra
import LinearProgramming
import TestSupport
import Testing

@Suite("Integer columns: read, refused, relaxed on request, written back")
struct IntegralityTests {
    /// max 5x + 4y s.t. 6x + 4y ≤ 24, x + 2y ≤ 6, x, y ≥ 0 integer (y ≤ 10 given as UP).
    /// The LP relaxation's optimum is 21 at (3, 1.5); the integer optimum is 20 at (4, 0).
    static let knapsack = """
        NAME knap
        OBJSENSE
            MAX
        ROWS
         N  obj
         L  wood
         L  labour
        COLUMNS
            MARKER  'MARKER'  'INTORG'
            x  obj  5  wood  6
            x  labour  1
            y  obj  4  wood  4
            y  labour  2
            MARKER  'MARKER'  'INTEND'
            z  obj  -1  wood  1
        RHS
            RHS  wood  24  labour  6
        BOUNDS
         UP BND  x  1e30
         UP BND  y  10
        ENDATA

        """

    @Test func markerBlockColumnsAreMarkedInteger() throws {
        let lp = try MPSReader.parse(Self.knapsack)
        #expect(lp.integrality == [true, true, false])
        #expect(lp.integerColumnCount == 2)
        #expect(lp.columnUpper == [.infinity, 10, .infinity])
    }

    @Test func unboundedMarkerColumnIsBinaryAndBoundTypesMarkIntegers() throws {
        let text = """
            NAME b
            ROWS
             N obj
             L c
            COLUMNS
                MARKER  'MARKER'  'INTORG'
                a  obj  -1  c  1
                b  obj  -1  c  1
                MARKER  'MARKER'  'INTEND'
                d  obj  -1  c  1
                e  obj  -1  c  1
                f  obj  -1  c  1
            RHS
                RHS  c  10
            BOUNDS
             LO BND  b  2
             LI BND  d  1
             UI BND  e  4
             BV BND  f
            ENDATA
            """
        let lp = try MPSReader.parse(text)
        // a: in the block, named by no bound: binary (HiGHS's reading). b: a bound given.
        #expect(lp.columnLower == [0, 2, 1, 0, 0])
        #expect(lp.columnUpper == [1, .infinity, .infinity, 4, 1])
        #expect(lp.integrality == [true, true, true, true, true])
    }

    @Test func unclosedOrNestedMarkersAreErrorsWithTheirLine() throws {
        let unclosed = "NAME u\nROWS\n N obj\n L c\nCOLUMNS\n M 'MARKER' 'INTORG'\n x obj 1 c 1\nRHS\n RHS c 1\nENDATA\n"
        #expect { try MPSReader.parse(unclosed, options: .init(format: .free)) } throws: { error in
            (error as? MPSError)?.message.contains("never closed") == true
        }
        let orphan = "NAME u\nROWS\n N obj\n L c\nCOLUMNS\n x obj 1 c 1\n M 'MARKER' 'INTEND'\nRHS\n RHS c 1\nENDATA\n"
        #expect { try MPSReader.parse(orphan, options: .init(format: .free)) } throws: { error in
            (error as? MPSError)?.line == 7 && (error as? MPSError)?.message.contains("INTEND") == true
        }
    }

    @Test func integerModelIsRefusedNamingItsColumns() throws {
        let lp = try MPSReader.parse(Self.knapsack)
        #expect(throws: LPModelError.integerColumns(count: 2, first: "x")) { try LPSolver.solve(lp) }
        #expect(LPModelError.integerColumns(count: 2, first: "x").description.contains("relaxIntegers"))
    }

    @Test func relaxationIsSolvedAndFlaggedOnRequest() throws {
        let lp = try MPSReader.parse(Self.knapsack)
        var settings = SolverSettings()
        settings.relaxIntegers = true
        let r = try LPSolver.solve(lp, settings: settings)
        #expect(r.status == .optimal)
        #expect(abs(r.objective - 21) < 1e-7)
        #expect(abs(r.x[0] - 3) < 1e-6 && abs(r.x[1] - 1.5) < 1e-6)
        #expect(r.integralityRelaxed)
        #expect(r.relaxedIntegerColumns == 2)
        // A continuous model is not flagged.
        var continuous = lp
        continuous.integrality = []
        let c = try LPSolver.solve(continuous)
        #expect(!c.integralityRelaxed && c.relaxedIntegerColumns == 0)
        #expect(abs(c.objective - 21) < 1e-7)
    }

    @Test func builderMarksIntegerVariables() throws {
        var b = ModelBuilder(sense: .maximize)
        let x = b.addVariable(cost: 5, name: "x", integer: true)
        let y = b.addVariable(cost: 4, name: "y")
        b.addConstraint([(x, 6), (y, 4)], lower: -.infinity, upper: 24, name: "wood")
        let lp = try b.build()
        #expect(lp.integrality == [true, false])
        var mismatched = lp
        mismatched.integrality = [true]
        #expect(throws: LPModelError.self) { try mismatched.validate() }
    }

    /// Random models with random integer marks come back from the writer unchanged,
    /// whatever the bounds of their integer columns (the writer names every integer
    /// column in BOUNDS, so no binary default applies on reading).
    @Test(arguments: 0..<40 as Range<UInt64>)
    func integerMarksSurviveTheWriter(seed: UInt64) throws {
        var lp = try RoundTripTests.randomModel(seed: seed)
        var rng = SeededGenerator(seed: seed &+ 1000)
        lp.integrality = (0..<lp.columnCount).map { _ in Bool.random(using: &rng) }
        let text = MPSWriter.write(lp)
        let back = try MPSReader.parse(text, options: .init(format: .free))
        let expected = lp.integrality.contains(true) ? lp.integrality : []
        #expect(back.integrality == expected, "seed \(seed):\n\(text)")
        var withMarks = lp
        withMarks.integrality = expected
        #expect(back == withMarks, "seed \(seed):\n\(text)")
    }

    /// A column name read from a file may hold a line break: the refusal stays one line.
    @Test func theRefusalEscapesTheColumnsName() {
        let text = LPModelError.integerColumns(count: 2, first: "x\ny\u{0}").description
        #expect(!text.contains("\n") && !text.contains("\u{0}") && text.contains("x\\ny\\0"), "\(text)")
    }
}
