import Testing
@testable import Exporter
