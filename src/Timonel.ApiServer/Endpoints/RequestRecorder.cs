using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// What code deep inside a request (an admission plugin) adds to the request's answer and its audit record, carried
/// with the request's asynchronous flow as upstream carries its warning recorder and audit context in the request's
/// context (apiserver pkg/warning AddWarning, pkg/audit AddAuditAnnotation). Warnings become Warning headers at once;
/// audit annotations wait in <see cref="AuditAnnotations"/> (also in HttpContext.Items under
/// <see cref="AuditAnnotationsKey"/>) for the audit log to pick up. Outside a request both are dropped.
/// </summary>
public static class RequestRecorder
{
    /// <summary>The HttpContext.Items key under which a request's audit annotations (key to value) wait.</summary>
    public const string AuditAnnotationsKey = "timonel.audit-annotations";

    private static readonly AsyncLocal<HttpContext?> _current = new();

    /// <summary>Records for <paramref name="context"/> until the returned scope is disposed.</summary>
    public static IDisposable Begin(HttpContext context)
    {
        var previous = _current.Value;
        _current.Value = context;
        return new Scope(previous);
    }

    /// <summary>Adds a Warning header to the current request's response (upstream's warning.AddWarning).</summary>
    public static void AddWarning(string text)
    {
        if (_current.Value is { } context && !context.Response.HasStarted)
        {
            WarningHeaders.Add(context, text);
        }
    }

    /// <summary>Adds an annotation to the current request's audit event; the first value of a key wins, as upstream's.</summary>
    public static void AddAuditAnnotation(string key, string value)
    {
        if (_current.Value is { } context)
        {
            Annotations(context).TryAdd(key, value);
        }
    }

    /// <summary>The audit annotations admission added to <paramref name="context"/>'s request, key to value.</summary>
    public static IReadOnlyDictionary<string, string> AuditAnnotations(HttpContext context) =>
        context.Items.TryGetValue(AuditAnnotationsKey, out var value) && value is IReadOnlyDictionary<string, string> annotations
            ? annotations
            : new Dictionary<string, string>();

    private static ConcurrentDictionary<string, string> Annotations(HttpContext context)
    {
        if (context.Items.TryGetValue(AuditAnnotationsKey, out var value) && value is ConcurrentDictionary<string, string> annotations)
        {
            return annotations;
        }

        var created = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        context.Items[AuditAnnotationsKey] = created;
        return created;
    }

    private sealed class Scope(HttpContext? previous) : IDisposable
    {
        public void Dispose() => _current.Value = previous;
    }
}
