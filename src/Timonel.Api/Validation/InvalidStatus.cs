using System.Text.Json.Nodes;
using Timonel.Api.Internal;

namespace Timonel.Api.Validation;

/// <summary>
/// A 422 "Invalid" API status built from field errors, exactly as apimachinery's errors.NewInvalid.
/// <see cref="ToJson"/> gives the metav1.Status body a real API server sends.
/// </summary>
public sealed class InvalidStatus
{
    /// <summary>Builds the status for object <paramref name="name"/> of <paramref name="kind"/> in <paramref name="group"/> ("" for core).</summary>
    public InvalidStatus(string group, string kind, string name, FieldErrorList errors)
    {
        Group = group;
        Kind = kind;
        Name = name;
        Causes = errors.ToStatusCauses();
        var qualifiedKind = group.Length == 0 ? kind : kind + "." + group;
        var prefix = qualifiedKind + " " + GoFormat.Quote(name) + " is invalid";
        var aggregate = errors.ToAggregateMessage();
        Message = aggregate is null ? prefix : prefix + ": " + aggregate;
    }

    /// <summary>HTTP status code: 422 Unprocessable Entity.</summary>
    public int Code => 422;

    /// <summary>Status reason: <c>Invalid</c>.</summary>
    public string Reason => "Invalid";

    /// <summary>The human message, e.g. <c>Pod "x" is invalid: spec.containers: Required value</c>.</summary>
    public string Message { get; }

    /// <summary>API group of the object ("" for the core group).</summary>
    public string Group { get; }

    /// <summary>Kind of the object.</summary>
    public string Kind { get; }

    /// <summary>Name of the object.</summary>
    public string Name { get; }

    /// <summary>One cause per field error.</summary>
    public IReadOnlyList<StatusCause> Causes { get; }

    /// <summary>The metav1.Status JSON body (kind Status, status Failure, details with causes).</summary>
    public JsonObject ToJson()
    {
        var details = new JsonObject { ["name"] = Name };
        if (Group.Length > 0)
        {
            details["group"] = Group;
        }
        details["kind"] = Kind;
        var causes = new JsonArray();
        foreach (var cause in Causes)
        {
            var item = new JsonObject { ["reason"] = cause.Reason, ["message"] = cause.Message };
            if (cause.Field.Length > 0)
            {
                item["field"] = cause.Field;
            }
            causes.Add(item);
        }
        if (causes.Count > 0)
        {
            details["causes"] = causes;
        }
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
            ["details"] = details,
            ["code"] = Code,
        };
    }
}
