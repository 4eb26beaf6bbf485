import Testing
@testable import Notify
