import Foundation
import LinearProgramming
import Testing

@Suite("Solver settings: decoding and validation")
struct SolverSettingsTests {
    /// Settings written before the linking-column fields existed decode, with the rule
    /// those runs were solved with (count) and every other new field at its default.
    @Test func settingsWithoutTheNewFieldsDecode() throws {
        let old = """
            {"primalTolerance":1e-9,"dualTolerance":1e-8,"gapTolerance":1e-8,"infeasibilityTolerance":1e-8,
             "maxIterations":150,"threads":1,"presolve":true,"scaling":false,"maxCorrectors":2,
             "denseColumnFraction":0.1,"denseColumnMinimum":100,"kktBackend":"normal-equations","verbose":false}
            """
        let s = try JSONDecoder().decode(SolverSettings.self, from: Data(old.utf8))
        #expect(s.primalTolerance == 1e-9 && s.maxIterations == 150 && !s.scaling)
        #expect(s.linkingColumns == .count)
        #expect(s.linkingColumnGain == SolverSettings().linkingColumnGain)
        #expect(!s.relaxIntegers)
        #expect(s.timeLimit == .infinity)
    }

    @Test func settingsRoundTrip() throws {
        var s = SolverSettings()
        s.linkingColumns = .off
        s.linkingColumnGain = 3
        s.relaxIntegers = true
        s.timeLimit = 60
        let back = try JSONDecoder().decode(SolverSettings.self, from: JSONEncoder().encode(s))
        #expect(back == s)
    }

    @Test func nonFiniteAndOutOfRangeValuesAreRefused() {
        for change in [{ (s: inout SolverSettings) in s.linkingColumnGain = .infinity },
                       { (s: inout SolverSettings) in s.linkingColumnMemory = .nan },
                       { (s: inout SolverSettings) in s.denseColumnFraction = 1e300 },
                       { (s: inout SolverSettings) in s.linkingColumnMinimumEntries = 1 }] {
            var s = SolverSettings()
            change(&s)
            #expect(throws: SolverSettingsError.self) { try s.validate() }
        }
    }
}
