namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>The levels' label values (api.ParseLevel).</summary>
public static class PodSecurityLevels
{
    public static string Name(PodSecurityLevel level) => level switch
    {
        PodSecurityLevel.Baseline => "baseline",
        PodSecurityLevel.Restricted => "restricted",
        _ => "privileged",
    };

    /// <summary>The level a label names; anything else is restricted with upstream's error text.</summary>
    public static PodSecurityLevel Parse(string text, out string? error)
    {
        error = null;
        switch (text)
        {
            case "privileged":
                return PodSecurityLevel.Privileged;
            case "baseline":
                return PodSecurityLevel.Baseline;
            case "restricted":
                return PodSecurityLevel.Restricted;
            default:
                error = "must be one of privileged, baseline, restricted";
                return PodSecurityLevel.Restricted;
        }
    }
}
