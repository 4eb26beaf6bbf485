import Testing
@testable import KafkaSim
