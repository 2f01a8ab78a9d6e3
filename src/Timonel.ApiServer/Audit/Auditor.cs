using Microsoft.AspNetCore.Http;

namespace Timonel.ApiServer.Audit;

/// <summary>
/// The server's audit: the policy and the log. Every request gets an audit ID, echoed in the Audit-Id response
/// header whether or not auditing is on (upstream's WithAuditInit runs in every server); with a policy and a log, the
/// request's <see cref="AuditRecorder"/> writes its events.
/// </summary>
public sealed class Auditor : IAsyncDisposable
{
    /// <summary>auditinternal.HeaderAuditID as Go's canonical header form sends it.</summary>
    public const string AuditIdHeader = "Audit-Id";

    private readonly AuditPolicy? _policy;
    private readonly AuditLogBackend? _backend;
    private readonly TimeProvider _time;

    public Auditor(AuditPolicy? policy, AuditLogBackend? backend, TimeProvider time)
    {
        _policy = policy;
        _backend = backend;
        _time = time;
    }

    /// <summary>No policy: IDs only.</summary>
    public static Auditor Off { get; } = new(null, null, TimeProvider.System);

    public AuditLogBackend? Backend => _backend;

    public AuditRecorder Begin(HttpContext context)
    {
        // A client's own Audit-ID is kept as sent (WithAuditInit), so it can correlate its requests with the log.
        var id = context.Request.Headers[AuditIdHeader].ToString();
        if (id.Length == 0)
        {
            id = Guid.NewGuid().ToString();
        }

        context.Response.Headers[AuditIdHeader] = id;
        return _policy is null || _backend is null ? AuditRecorder.Disabled : new AuditRecorder(_policy, _backend, _time, context, id);
    }

    public async ValueTask DisposeAsync()
    {
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }
}
