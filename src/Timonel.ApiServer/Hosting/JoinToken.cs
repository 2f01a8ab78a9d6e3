using System.Security.Cryptography;

namespace Timonel.ApiServer.Hosting;

/// <summary>
/// The cluster join token in K3s' secure format, K10&lt;ca-hash&gt;::server:&lt;password&gt;. Agents join with it, and it is
/// accepted as a bearer token; a short token (just the password) is accepted too, as K3s does.
/// </summary>
public sealed record JoinToken(string Full, string Password)
{
    public static JoinToken LoadOrCreate(ApiServerOptions options, string caHash)
    {
        var path = Path.Combine(options.DataDir, "token");
        var given = options.Token ?? (options.TokenFile is not null ? File.ReadAllText(options.TokenFile).Trim() : null);
        if (given is null && File.Exists(path))
        {
            given = File.ReadAllText(path).Trim();
        }

        var password = given is null ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : PasswordOf(given);
        var token = new JoinToken($"K10{caHash}::server:{password}", password);
        File.WriteAllText(path, token.Full + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return token;
    }

    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(PasswordOf(presented)), System.Text.Encoding.UTF8.GetBytes(Password));

    private static string PasswordOf(string token)
    {
        var separator = token.LastIndexOf("::", StringComparison.Ordinal);
        var credentials = separator >= 0 ? token[(separator + 2)..] : token;
        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && separator >= 0 ? credentials[(colon + 1)..] : credentials;
    }
}
