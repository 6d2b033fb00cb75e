import Testing

@testable import Spec

/// Plain scalars are read as YAML 1.1 types them (yaml.org/type: int, float, bool, null),
/// whether the fast path (no regular expression) or Yams's resolver reads them.
@Suite struct ScalarKindTests {
    @Test(
        "each plain scalar gets its YAML 1.1 kind",
        arguments: [
            ("12", SpecNode.ScalarKind.integer(12)), ("+5", .integer(5)), ("-7", .integer(-7)), ("0", .integer(0)), ("-0", .integer(0)),
            ("012", .integer(10)),  // octal in YAML 1.1
            ("0x1F", .integer(31)), ("1_000", .integer(1000)), ("1:30", .integer(90)),  // sexagesimal: 1·60 + 30
            ("1.5", .real(1.5)), ("0.25", .real(0.25)), ("-12.75", .real(-12.75)), ("+3.0", .real(3)), ("-2.5e3", .real(-2500)),
            (".5", .real(0.5)), ("1_0.5", .real(10.5)), ("1.", .real(1)),
            ("yes", .bool(true)), ("No", .bool(false)), ("on", .bool(true)), ("OFF", .bool(false)), ("true", .bool(true)),
            ("~", .null), ("null", .null), ("Null", .null),
            ("popularity", .string), ("nope", .string), ("e5", .string), ("1a", .string), ("--", .string), ("tom", .string),
            ("9223372036854775808", .real(9_223_372_036_854_775_808)),  // past Int.max: a float, as Yams reads it
        ] as [(String, SpecNode.ScalarKind)]
    )
    func kinds(text: String, kind: SpecNode.ScalarKind) throws {
        var findings: [Finding] = []
        let node = try #require(SpecNode.parse("key: \(text)\n", file: "k.yaml", findings: &findings))
        #expect(findings.isEmpty)
        #expect(node["key"]?.scalar?.kind == kind)
    }

    @Test func quotedScalarsAreStrings() throws {
        var findings: [Finding] = []
        let node = try #require(SpecNode.parse("a: '12'\nb: \"yes\"\n", file: "k.yaml", findings: &findings))
        #expect(node["a"]?.scalar?.kind == .string && node["b"]?.scalar?.kind == .string)
    }
}
