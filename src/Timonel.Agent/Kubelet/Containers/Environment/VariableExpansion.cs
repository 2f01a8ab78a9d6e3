namespace Timonel.Agent.Kubelet.Containers.Environment;

/// <summary>
/// Kubernetes' <c>$(VAR)</c> references (third_party/forked/golang/expansion): <c>$(NAME)</c> becomes the variable's
/// value, <c>$$</c> an escaped <c>$</c>; a reference to an unknown variable and an unclosed <c>$(</c> stay as written.
/// </summary>
internal static class VariableExpansion
{
    private const char Operator = '$';
    private const char Opener = '(';
    private const char Closer = ')';

    /// <summary>Expands <paramref name="input"/>; <paramref name="lookup"/> answers null for an unknown name.</summary>
    public static string Expand(string input, Func<string, string?> lookup)
    {
        if (!input.Contains(Operator))
        {
            return input;
        }

        var output = new System.Text.StringBuilder(input.Length);
        var checkpoint = 0;
        for (var cursor = 0; cursor < input.Length; cursor++)
        {
            if (input[cursor] != Operator || cursor + 1 >= input.Length)
            {
                continue;
            }

            output.Append(input, checkpoint, cursor - checkpoint);
            var (text, advance) = ReadAfterOperator(input, cursor + 1, lookup);
            output.Append(text);
            cursor += advance;
            checkpoint = cursor + 1;
        }

        return output.Append(input, checkpoint, input.Length - checkpoint).ToString();
    }

    /// <summary>A lookup over several maps, the first that has the name winning.</summary>
    public static Func<string, string?> LookupIn(params IReadOnlyDictionary<string, string>[] maps) =>
        name => maps.Select(map => map.TryGetValue(name, out var value) ? value : null).FirstOrDefault(value => value is not null);

    // What replaces the operator and the text after it, and how many characters after the operator it consumed.
    private static (string Text, int Advance) ReadAfterOperator(string input, int start, Func<string, string?> lookup)
    {
        switch (input[start])
        {
            case Operator:
                return (Operator.ToString(), 1);
            case Opener:
                var close = input.IndexOf(Closer, start + 1);
                if (close < 0)
                {
                    return ($"{Operator}{Opener}", 1);
                }

                var name = input[(start + 1)..close];
                return (lookup(name) ?? $"{Operator}{Opener}{name}{Closer}", close - start + 1);
            default:
                return ($"{Operator}{input[start]}", 1);
        }
    }
}
