namespace Timonel.Client.Hosts;

/// <summary>A resolv.conf's nameservers, search domains (its last search line) and options (dns.go's parseResolvConf).</summary>
public sealed record ResolverConfig(IReadOnlyList<string> Nameservers, IReadOnlyList<string> Searches, IReadOnlyList<string> Options)
{
    public static ResolverConfig Empty { get; } = new([], [], []);

    /// <summary>Reads a resolv.conf; a missing or unreadable file is an empty configuration.</summary>
    public static ResolverConfig Read(string path)
    {
        try
        {
            return File.Exists(path) ? Parse(File.ReadAllText(path)) : Empty;
        }
        catch (IOException)
        {
            return Empty;
        }
    }

    public static ResolverConfig Parse(string content)
    {
        var nameservers = new List<string>();
        IReadOnlyList<string> searches = [];
        var options = new List<string>();
        foreach (var line in content.Split('\n'))
        {
            var fields = line.Split('#', ';')[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                continue;
            }

            switch (fields[0])
            {
                case "nameserver":
                    nameservers.Add(fields[1]);
                    break;
                case "search":
                    searches = fields[1..].Where(s => s != ".").Select(s => s.TrimEnd('.')).ToList();
                    break;
                case "options":
                    options.AddRange(fields[1..]);
                    break;
            }
        }

        return new ResolverConfig(nameservers, searches, options);
    }
}
