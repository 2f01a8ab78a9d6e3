namespace Timonel.HostileTests.Targets;

/// <summary>One step of a field path: a property (of an object or, with key "k", of a map) or the first item of a list.</summary>
internal sealed record FieldStep(string? Property)
{
    public static FieldStep Item { get; } = new((string?)null);

    public bool IsItem => Property is null;

    public override string ToString() => Property ?? "[0]";
}
