import ConsoleCore
import ConvEngine
import Foundation

/// Opens the full-screen console on a driver's panes and runs it until the operator quits,
/// a signal arrives or the time limit passes; then restores the terminal, shuts the driver
/// down (stopping sessions, closing logs) and says where the logs are.
struct ConsoleRuntime<Driver: ConsoleDriver> {
    let driver: Driver

    func run(duration: Duration?, environment: [String: String]) async {
        let stop = StopSignal()
        let signals = StopSignals { _ in stop.raise(.signal) }
        let timer = duration.map { limit in
            Task {
                try? await Task.sleep(for: limit)
                stop.raise(.duration)
            }
        }
        let wantsColor = ColorScheme.colorWanted(environment: environment)
        let driver = driver
        // Curses blocks in get_wch and must stay on one thread: give it its own, off the
        // cooperative pool the sessions run on.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                // Foundation on Linux does not pass a thread's `name` to the kernel, and Swift
                // does not import pthread_setname_np: name it through procfs, so that `top -H`
                // and profilers show the render thread by name.
                try? "convtui-render".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
                let terminal = Terminal(wantsColor: wantsColor)
                RenderLoop(driver: driver, terminal: terminal, stop: stop).run()
                terminal.close()
                done.resume()
            }
            thread.start()
        }
        timer?.cancel()
        signals.cancel()
        // The loop ends on its own only when the operator quit.
        await driver.shutdown(reason: (stop.reason ?? .quit).rawValue)
        if let farewell = driver.farewell {
            FileHandle.standardError.write(Data((farewell + "\n").utf8))
        }
    }
}
