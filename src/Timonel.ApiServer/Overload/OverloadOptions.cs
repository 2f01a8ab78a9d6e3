namespace Timonel.ApiServer.Overload;

/// <summary>
/// kube-apiserver's --max-requests-inflight (400), --max-mutating-requests-inflight (200) and --request-timeout (1m)
/// (apiserver/pkg/server/options/server_run_options.go), and Timonel's own --max-watches-per-user. 0 turns a limit off.
/// </summary>
public sealed record OverloadOptions
{
    public const int DefaultMaxRequestsInflight = 400;
    public const int DefaultMaxMutatingRequestsInflight = 200;
    public const int DefaultMaxWatchesPerUser = 10_000;

    public int MaxRequestsInflight { get; init; } = DefaultMaxRequestsInflight;

    public int MaxMutatingRequestsInflight { get; init; } = DefaultMaxMutatingRequestsInflight;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public int MaxWatchesPerUser { get; init; } = DefaultMaxWatchesPerUser;
}
