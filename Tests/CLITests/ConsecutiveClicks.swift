import Foundation

/// An interactions CSV for `abctl import interactions`: unit u (u0, u1, …) clicks `length`
/// consecutive items (item`s`, item`s+1`, … mod `items`) from its start `s = start(u)`, one
/// second apart from 2026-11-29 00:00 UTC on. Returns the file's path in the temporary folder.
func consecutiveClicksFile(units: Int, length: Int, items: Int, name: String, start: (Int) -> Int) throws -> String {
    var lines = ["unit_id,item_id,event_type,value,occurred_at"]
    var time = 1_795_910_400
    for unit in 0..<units {
        let first = start(unit)
        for step in 0..<length {
            time += 1
            lines.append("u\(unit),item\((first + step) % items),click,1,\(time)")
        }
    }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).csv").path
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
