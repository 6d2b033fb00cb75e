import Testing

@testable import Sim
