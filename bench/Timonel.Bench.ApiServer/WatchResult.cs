namespace Timonel.Bench.ApiServer;

/// <summary>
/// Watch delivery: per (event, watcher), the delay from the writer receiving its PUT's answer to the watcher
/// reading the event's line. Also from the PUT being sent, since an event may reach a watcher before the ack.
/// </summary>
internal sealed record WatchResult(
    string Backend,
    int Watchers,
    TimeSpan OpenTime,
    int Updates,
    double UpdatesPerSecond,
    long Delivered,
    long Expected,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    double FromSendP50Ms,
    double FromSendP99Ms,
    double WriteP50Ms,
    double ServerRssMiB,
    CpuUse Cpu,
    string? FirstError);
