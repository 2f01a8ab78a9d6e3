namespace Timonel.ApiServer.Audit;

/// <summary>Where in its handling a request's event was written (audit.k8s.io/v1 Stage); names as upstream spells them.</summary>
public enum AuditStage
{
    /// <summary>As soon as the request is read and its user known, before any handler.</summary>
    RequestReceived,

    /// <summary>When a long-running request (a watch, exec, log) has sent its headers, before its body.</summary>
    ResponseStarted,

    /// <summary>When the response is complete.</summary>
    ResponseComplete,

    /// <summary>When the handler failed unexpectedly.</summary>
    Panic,
}
