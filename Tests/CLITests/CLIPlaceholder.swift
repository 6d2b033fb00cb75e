import Testing

@testable import CLI
