namespace Timonel.Api.Cron;

/// <summary>
/// Go's time.LoadLocation over the IANA database .NET reads (/usr/share/zoneinfo): "" and "UTC" are UTC, "Local" the
/// given local zone, anything else an IANA name; the error texts are Go's.
/// </summary>
public static class GoLocation
{
    /// <summary>Finds the zone <paramref name="name"/>, or says why not as Go's LoadLocation would.</summary>
    public static bool TryLoad(string name, TimeZoneInfo local, out TimeZoneInfo zone, out string error)
    {
        zone = TimeZoneInfo.Utc;
        error = string.Empty;
        if (name is "" or "UTC")
        {
            return true;
        }

        if (name == "Local")
        {
            zone = local;
            return true;
        }

        // Go refuses these before looking (errLocation), and never takes Windows zone names, which .NET would
        // convert (they all hold a space).
        if (name.Contains("..", StringComparison.Ordinal) || name[0] == '/' || name.Contains('\\', StringComparison.Ordinal))
        {
            error = "time: invalid location name";
            return false;
        }

        try
        {
            if (!name.Contains(' ', StringComparison.Ordinal))
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(name);
                return true;
            }
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
        }

        error = "unknown time zone " + name;
        return false;
    }
}
