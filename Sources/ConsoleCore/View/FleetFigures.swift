import ConvEngine

/// What the status bar says about all sessions together: the current runs' turn latencies
/// merged (p50/p95/p99) and how many sessions are in trouble. The latencies are merged from
/// every session's histogram, so the render loop makes this at most once a second.
package struct FleetFigures: Equatable, Sendable {
    package var p50: Int?
    package var p95: Int?
    package var p99: Int?
    /// Sessions with an alert firing, and sessions whose current run has errors (no alert).
    package var alerting = 0
    package var erring = 0

    package init() {}

    package init(_ snapshots: some Sequence<SessionSnapshot>) {
        var latency = LatencyDistribution()
        for snapshot in snapshots {
            let state = snapshot.state
            latency.add(state.metrics.runLatency)
            if !state.alerts.isEmpty {
                alerting += 1
            } else if state.metrics.runErrors > 0 {
                erring += 1
            }
        }
        p50 = latency.percentile(50)
        p95 = latency.percentile(95)
        p99 = latency.percentile(99)
    }

    /// The sessions in trouble, for the start of the status bar (readable without colour).
    package var troubleRuns: [StyledRun] {
        var runs: [StyledRun] = []
        if alerting > 0 { runs.append(StyledRun(" ! \(alerting) alerting ", CellStyle(.alert, bold: true, reverse: true))) }
        if erring > 0 { runs.append(StyledRun(" E \(erring) with errors ", CellStyle(.error, bold: true, reverse: true))) }
        return runs
    }

    /// The merged latencies, once any turn completed.
    package var latencyRuns: [StyledRun] {
        guard let p50, let p95, let p99 else { return [] }
        return [StyledRun(" │ v2v p50 \(p50) p95 \(p95) p99 \(p99) ms", CellStyle(.plain, reverse: true))]
    }
}
