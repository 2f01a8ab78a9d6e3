namespace Timonel.Kustomize.Yaml;

/// <summary>A scalar with its resolved kind. Value holds the text (for Int, the decimal form).</summary>
public sealed class YScalar : YNode
{
    public YScalar(string value, ScalarKind kind = ScalarKind.String)
    {
        Value = value;
        Kind = kind;
    }

    public string Value { get; set; }

    public ScalarKind Kind { get; set; }

    public static YScalar Null() => new("null", ScalarKind.Null);

    public override YNode Clone() => new YScalar(Value, Kind);

    public override string ToString() => Value;
}
