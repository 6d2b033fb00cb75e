import Testing

@testable import Spec
