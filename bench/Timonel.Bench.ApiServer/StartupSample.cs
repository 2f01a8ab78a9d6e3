namespace Timonel.Bench.ApiServer;

/// <summary>One server start: exec → /readyz 200, the server's own ready figure, and its RSS then and after idling.</summary>
internal sealed record StartupSample(string Backend, string DataDir, double StartToReadyMs, long? ReportedReadyMs, double RssAtReadyMiB, double RssIdleMiB);
