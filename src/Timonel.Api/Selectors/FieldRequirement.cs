namespace Timonel.Api.Selectors;

/// <summary>One term of a field selector: <c>field=value</c> (<paramref name="Equal"/>) or <c>field!=value</c>.</summary>
public sealed record FieldRequirement(string Field, bool Equal, string Value)
{
    /// <summary>Whether an object's field value (null when absent, read as "") satisfies the term.</summary>
    public bool Matches(Func<string, string?> fieldValue) => (fieldValue(Field) ?? string.Empty) == Value == Equal;

    /// <summary>The term with its value escaped, as upstream prints it.</summary>
    public override string ToString() => Field + (Equal ? "=" : "!=") + FieldSelector.EscapeValue(Value);
}
