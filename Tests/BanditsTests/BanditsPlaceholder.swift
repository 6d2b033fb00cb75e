import Testing

@testable import Bandits
