using Timonel.Api.Validation;

namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>The text helpers upstream's checks share (policy/helpers.go pluralize, joinQuote).</summary>
internal static class CheckText
{
    public static string Pluralize(string singular, string plural, int count) => count == 1 ? singular : plural;

    /// <summary>Each item Go-quoted, joined with ", ".</summary>
    public static string JoinQuote(IEnumerable<string> items) => string.Join(", ", items.Select(GoValue.Quote));

    /// <summary>A sorted set's List(): distinct, ordinal order.</summary>
    public static List<string> Sorted(IEnumerable<string> items) => [.. items.Distinct().Order(StringComparer.Ordinal)];

    /// <summary>"container "a"" or "containers "a", "b"".</summary>
    public static string Containers(IReadOnlyCollection<string> names) => $"{Pluralize("container", "containers", names.Count)} {JoinQuote(names)}";
}
