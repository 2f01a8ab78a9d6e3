using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Internal;

namespace Timonel.Api.Validation;

/// <summary>
/// A bad value rendered as Kubernetes 1.32's field.Error prints it when the value is of a Go type: with %#v
/// (apimachinery pkg/util/validation/field/errors.go ErrorBody), e.g. <c>[]string{"a", "b"}</c> or
/// <c>v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}</c>.
/// JSON trees hold no Go type, so the validation that knows which Go type upstream passes says so through these
/// factories. A set pointer inside a struct prints as an address in Go; here it is a fixed placeholder.
/// </summary>
public sealed class GoValue
{
    /// <summary>What Go prints for a set pointer field (its address); the address itself varies run to run.</summary>
    public const string PointerPlaceholder = "0xc000000000";

    private GoValue(string text) => Text = text;

    /// <summary>The value as it appears in the message.</summary>
    public string Text { get; }

    /// <summary>A string as %q prints it (strconv.Quote), for messages outside field errors.</summary>
    public static string Quote(string value) => GoFormat.Quote(value);

    /// <summary>A []string: <c>[]string{"a", "b"}</c>, or <c>[]string(nil)</c> for null.</summary>
    public static GoValue Strings(IEnumerable<string>? values) =>
        new(values is null ? "[]string(nil)" : "[]string{" + string.Join(", ", values.Select(GoFormat.Quote)) + "}");

    /// <summary>A map[string]string, keys sorted as fmt sorts them: <c>map[string]string{"a":"1"}</c>, or <c>map[string]string(nil)</c>.</summary>
    public static GoValue StringMap(IEnumerable<KeyValuePair<string, string>>? map) =>
        new(map is null
            ? "map[string]string(nil)"
            : "map[string]string{" + string.Join(", ", map.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => GoFormat.Quote(e.Key) + ":" + GoFormat.Quote(e.Value))) + "}");

    /// <summary>A map[string]string from a JSON object of strings (null when absent).</summary>
    public static GoValue StringMap(JsonObject? map) =>
        StringMap(map?.Select(e => new KeyValuePair<string, string>(e.Key, e.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "")));

    /// <summary>
    /// A struct: <c>pkg.Type{Field:value, ...}</c>. Each value is a <see cref="GoValue"/>, a string (quoted), a whole
    /// number or a bool.
    /// </summary>
    public static GoValue Struct(string typeName, params (string Field, object Value)[] fields) =>
        new(typeName + "{" + string.Join(", ", fields.Select(f => f.Field + ":" + GoFormat.GoSyntax(f.Value))) + "}");

    /// <summary>A pointer field: <c>(*int64)(nil)</c> when unset, else Go's address form.</summary>
    public static GoValue Pointer(string elementType, bool set) => new($"(*{elementType})({(set ? PointerPlaceholder : "nil")})");

    /// <summary>A nil slice of another element type: <c>[]v1.LabelSelectorRequirement(nil)</c>.</summary>
    public static GoValue NilSlice(string elementType) => Nil("[]" + elementType);

    /// <summary>A nil map or slice of a named type: <c>core.ResourceList(nil)</c>.</summary>
    public static GoValue Nil(string typeName) => new($"{typeName}(nil)");

    /// <summary>A slice of already rendered elements: <c>[]T{e1, e2}</c>.</summary>
    public static GoValue Slice(string elementType, IEnumerable<GoValue> elements) =>
        new($"[]{elementType}{{{string.Join(", ", elements.Select(e => e.Text))}}}");

    /// <summary>intstr.IntOrString as a value: Type 0 holds IntVal, Type 1 StrVal.</summary>
    public static GoValue IntOrString(JsonNode? value)
    {
        var isString = value is JsonValue v && v.GetValueKind() == JsonValueKind.String;
        var intValue = !isString && value is JsonValue n && n.TryGetValue<long>(out var whole) ? whole : 0;
        var stringValue = isString ? value!.GetValue<string>() : "";
        return Struct("intstr.IntOrString", ("Type", isString ? 1 : 0), ("IntVal", intValue), ("StrVal", stringValue));
    }

    /// <summary>metav1.LabelSelector as a value (the dereferenced *LabelSelector validation passes).</summary>
    public static GoValue LabelSelector(JsonNode? selector)
    {
        var labels = selector?["matchLabels"] as JsonObject;
        var expressions = selector?["matchExpressions"] as JsonArray;
        var requirements = expressions is null
            ? NilSlice("v1.LabelSelectorRequirement")
            : Slice("v1.LabelSelectorRequirement", expressions.Select(e => Struct(
                "v1.LabelSelectorRequirement",
                ("Key", e?["key"]?.ToString() ?? ""),
                ("Operator", e?["operator"]?.ToString() ?? ""),
                ("Values", Strings((e?["values"] as JsonArray)?.Select(v => v?.ToString() ?? ""))))));
        return Struct("v1.LabelSelector", ("MatchLabels", StringMap(labels)), ("MatchExpressions", requirements));
    }

    /// <summary>
    /// A metav1.Time or MicroTime, a fmt.Stringer: time.Time's String() in UTC,
    /// <c>2026-01-02 03:04:05.123 +0000 UTC</c>; Go's zero time when <paramref name="rfc3339"/> is null or empty.
    /// </summary>
    public static GoValue Time(string? rfc3339)
    {
        var time = !string.IsNullOrEmpty(rfc3339) && DateTimeOffset.TryParse(rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime
            : DateTime.MinValue;
        var fraction = time.ToString(".fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return new(time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + fraction + " +0000 UTC");
    }

    /// <summary>A value Go holds as unstructured data (map[string]interface {}, []interface {}, int64, ...).</summary>
    public static GoValue Unstructured(JsonNode? value) => new(GoFormat.GoSyntax(value));

    public override string ToString() => Text;
}
