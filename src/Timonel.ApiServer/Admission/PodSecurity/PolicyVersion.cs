namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>
/// The version of the standards a namespace pins ("v1.25") or "latest" (pod-security-admission api.Version): checks
/// whose rules changed are evaluated as they were at that version.
/// </summary>
public readonly record struct PolicyVersion(int Minor, bool IsLatest)
{
    public static PolicyVersion Latest { get; } = new(0, true);

    /// <summary>Whether the rules of Kubernetes 1.<paramref name="minor"/> apply: latest is newer than every version.</summary>
    public bool AtLeast(int minor) => IsLatest || Minor >= minor;

    /// <summary>
    /// "latest" or "v1.x" (api.ParseVersion's pattern ^v1\.([0-9]|[1-9][0-9]*)$); anything else is latest with the
    /// error text upstream gives.
    /// </summary>
    public static PolicyVersion Parse(string text, out string? error)
    {
        error = null;
        if (text == "latest")
        {
            return Latest;
        }

        var digits = text.StartsWith("v1.", StringComparison.Ordinal) ? text[3..] : "";
        var wellFormed = digits.Length > 0 && digits.All(char.IsAsciiDigit) && (digits.Length == 1 || digits[0] != '0');
        if (wellFormed && int.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var minor))
        {
            return new(minor, false);
        }

        error = "must be \"latest\" or \"v1.x\"";
        return Latest;
    }

    public override string ToString() => IsLatest ? "latest" : $"v1.{Minor}";
}
