namespace Timonel.Bench.ApiServer;

/// <summary>The server's RSS and the SQLite files' size (database + WAL) at one moment of a soak.</summary>
internal sealed record SoakSample(TimeSpan At, double RssMiB, double DatabaseMiB);
