using System.Net.Sockets;
using System.Text;

namespace Timonel.HostileTests.Running;

/// <summary>
/// Sends one case, {ns} standing for the namespace given: through HttpClient with the path exactly as written (no dot-segment removal, no re-escaping), or
/// raw over TLS for framing cases. A send that fails without an answer is reported as such, never thrown.
/// </summary>
internal sealed class CaseSender(HttpClient http, RawHttp raw)
{
    /// <summary>Far above any answer's time on a healthy server; a request past it counts as not answered.</summary>
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(15);

    private static readonly UriCreationOptions _asWritten = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly string _authority = http.BaseAddress!.GetLeftPart(UriPartial.Authority);

    public async Task<Answer> SendAsync(HostileCase testCase, string ns)
    {
        try
        {
            if (testCase.Raw is not null)
            {
                return await raw.SendAsync(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(testCase.Raw).Replace("{ns}", ns, StringComparison.Ordinal)));
            }

            using var request = new HttpRequestMessage(new HttpMethod(testCase.Method), new Uri(_authority + testCase.Path.Replace("{ns}", ns, StringComparison.Ordinal), _asWritten));
            if (testCase.Body is not null)
            {
                request.Content = new ByteArrayContent(testCase.Body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", testCase.ContentType);
            }

            foreach (var (name, value) in testCase.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var timeout = new CancellationTokenSource(_timeout);
            using var response = await http.SendAsync(request, timeout.Token);
            return new Answer((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            return Answer.None(e.GetType().Name + ": " + e.Message);
        }
    }
}
