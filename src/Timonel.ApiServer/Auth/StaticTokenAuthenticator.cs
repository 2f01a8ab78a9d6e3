using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Hosting;

namespace Timonel.ApiServer.Auth;

/// <summary>
/// Bearer tokens: the server's join token (an administrator's credential, as K3s' server token is) and the lines
/// of a static token file in kube-apiserver's --token-auth-file format: token,user,uid[,"group1,group2"].
/// </summary>
public sealed class StaticTokenAuthenticator : IAuthenticator, ITokenAuthenticator
{
    private readonly JoinToken? _joinToken;
    private readonly Dictionary<string, UserInfo> _tokens;

    public StaticTokenAuthenticator(JoinToken? joinToken, IReadOnlyDictionary<string, UserInfo> tokens)
    {
        _joinToken = joinToken;
        _tokens = new Dictionary<string, UserInfo>(tokens, StringComparer.Ordinal);
    }

    public static StaticTokenAuthenticator Load(JoinToken? joinToken, string? tokenAuthFile)
    {
        var tokens = new Dictionary<string, UserInfo>(StringComparer.Ordinal);
        if (tokenAuthFile is not null)
        {
            foreach (var line in File.ReadAllLines(tokenAuthFile).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')))
            {
                var fields = SplitCsv(line);
                if (fields.Count < 3)
                {
                    throw new FormatException($"token file {tokenAuthFile}: a line needs at least token,user,uid: {line}");
                }

                var groups = fields.Count > 3 ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
                tokens[fields[0]] = UserInfo.Authenticated(fields[1], groups, uid: fields[2]);
            }
        }

        return new StaticTokenAuthenticator(joinToken, tokens);
    }

    public Task<UserInfo?> AuthenticateAsync(HttpContext context) =>
        Task.FromResult(BearerToken(context.Request) is { } token ? Find(token) : null);

    public Task<UserInfo?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken) => Task.FromResult(Find(token));

    private UserInfo? Find(string token)
    {
        if (_tokens.TryGetValue(token, out var user))
        {
            return user;
        }

        return _joinToken is not null && _joinToken.Matches(token)
            ? UserInfo.Authenticated("system:timonel:server", [UserInfo.MastersGroup])
            : null;
    }

    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString().Trim());
        return fields;
    }
}
