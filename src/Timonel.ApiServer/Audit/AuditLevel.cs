namespace Timonel.ApiServer.Audit;

/// <summary>How much of a request the audit log records (audit.k8s.io/v1 Level), in increasing order.</summary>
public enum AuditLevel
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>Who did what to which object, and the answer's code: no bodies.</summary>
    Metadata,

    /// <summary>Metadata and the request's body.</summary>
    Request,

    /// <summary>Metadata, the request's body and the response's body.</summary>
    RequestResponse,
}
