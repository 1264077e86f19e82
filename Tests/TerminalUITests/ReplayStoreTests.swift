import Foundation
import Testing
@testable import TerminalUI

/// Where a client's replays go: `--replays`, else the XDG data folder, else ~/.local/share,
/// else /tmp, whichever can be created and written.
@Suite struct ReplayStoreTests {
    @Test func theRequestedFolderIsCreatedWithItsParents() throws {
        let base = try Fixtures.temporaryFolder("store")
        let folder = base.path + "/deeper/still"
        let store = try #require(ReplayStore(requested: folder, environment: [:]))
        #expect(store.directory == folder)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test func withoutARequestTheDataFoldersComeFirst() throws {
        let base = try Fixtures.temporaryFolder("xdg")
        let xdg = try #require(ReplayStore(requested: nil, environment: ["XDG_DATA_HOME": base.path + "/data", "HOME": base.path + "/home"]))
        #expect(xdg.directory == base.path + "/data/meshplay/replays")
        let home = try #require(ReplayStore(requested: nil, environment: ["XDG_DATA_HOME": "relative/ignored", "HOME": base.path + "/home"]))
        #expect(home.directory == base.path + "/home/.local/share/meshplay/replays")
    }

    @Test func anUnwritableFolderFallsBackToTmp() throws {
        let fallback = try #require(ReplayStore(requested: "/proc/not-writable", environment: [:]))
        #expect(fallback.directory == "/tmp/meshplay-replays")
    }
}
