namespace Timonel.ApiServer.Audit;

/// <summary>kube-apiserver's audit flags: --audit-policy-file, --audit-log-path ("-" = stdout), --audit-log-maxsize (MB), --audit-log-maxbackup, --audit-log-maxage (days).</summary>
public sealed record AuditLogOptions
{
    public string? PolicyFile { get; init; }

    public string? Path { get; init; }

    /// <summary>0 = lumberjack's 100 MB.</summary>
    public int MaxSizeMegabytes { get; init; }

    /// <summary>0 = keep every backup.</summary>
    public int MaxBackups { get; init; }

    /// <summary>0 = no age limit.</summary>
    public int MaxAgeDays { get; init; }

    public int BufferSize { get; init; } = AuditLogBackend.DefaultBufferSize;

    /// <summary>Upstream audits only with both a policy and a backend; either alone writes nothing.</summary>
    public bool Enabled => !string.IsNullOrEmpty(PolicyFile) && !string.IsNullOrEmpty(Path);
}
