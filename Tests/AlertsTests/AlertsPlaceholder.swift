import Testing
@testable import Alerts
