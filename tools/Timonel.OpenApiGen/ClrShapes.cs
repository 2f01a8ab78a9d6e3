namespace Timonel.OpenApiGen;

/// <summary>How the KubernetesClient models spell JSON arrays and maps in CLR types.</summary>
internal static class ClrShapes
{
    public static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    /// <summary>The element type of IList&lt;T&gt;/List&lt;T&gt;/IEnumerable&lt;T&gt;, or null when the type is no list.</summary>
    public static Type? ElementOf(Type type)
    {
        if (!type.IsGenericType || type == typeof(string))
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IList<>) || definition == typeof(List<>) || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    /// <summary>The value type of IDictionary&lt;string, T&gt;/Dictionary&lt;string, T&gt;, or null when the type is no map.</summary>
    public static Type? MapValueOf(Type type)
    {
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>) ? type.GetGenericArguments()[1] : null;
    }
}
