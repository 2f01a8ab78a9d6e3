using System.Text.Json.Nodes;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// What a walk of an object along its kind's schema found: the fields the schema does not declare, named as upstream's
/// strict decoder names them, and the first value of the wrong JSON type (upstream's decoder refuses it outright).
/// </summary>
public sealed class FieldInspection
{
    private readonly IReadOnlyList<(JsonObject Owner, string Name)> _locations;

    internal FieldInspection(IReadOnlyList<string> unknown, string? typeError, IReadOnlyList<(JsonObject Owner, string Name)> locations)
    {
        Unknown = unknown;
        TypeError = typeError;
        _locations = locations;
    }

    /// <summary>Nothing found (a kind without a built-in schema, or a clean object).</summary>
    public static FieldInspection Clean { get; } = new([], null, []);

    /// <summary>Undeclared fields ("spec.containers[0].imagee"), in document order.</summary>
    public IReadOnlyList<string> Unknown { get; }

    /// <summary>The Go decoder's text for the first value of the wrong type, or null.</summary>
    public string? TypeError { get; }

    /// <summary>
    /// This inspection with <paramref name="unknown"/> (found elsewhere, and dropped elsewhere) listed before its own
    /// undeclared fields.
    /// </summary>
    public FieldInspection After(IReadOnlyList<string> unknown) =>
        unknown.Count == 0 ? this : new FieldInspection([.. unknown, .. Unknown], TypeError, _locations);

    /// <summary>
    /// Removes the undeclared fields from the inspected object, as decoding into upstream's typed structs drops them:
    /// a write with fieldValidation=Ignore or Warn stores the object without them.
    /// </summary>
    public void DropUnknown()
    {
        foreach (var (owner, name) in _locations)
        {
            owner.Remove(name);
        }
    }
}
