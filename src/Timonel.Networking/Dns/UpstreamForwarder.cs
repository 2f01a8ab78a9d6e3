using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;

namespace Timonel.Networking.Dns;

/// <summary>
/// Names outside the cluster, asked of the host's resolvers (K3s' Corefile <c>forward . /etc/resolv.conf</c>) with the
/// answers cached; no resolver answering is SERVFAIL, as CoreDNS says it.
/// </summary>
public sealed class UpstreamForwarder
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(5);
    private readonly DnsClient? _client;
    private readonly ForwardCache _cache;
    private readonly ILogger _logger;

    public UpstreamForwarder(IReadOnlyList<IPAddress> servers, ForwardCache cache, ILogger logger)
    {
        Servers = servers;
        _client = servers.Count == 0 ? null : new DnsClient(servers, (int)_timeout.TotalMilliseconds) { IsResponseValidationEnabled = true };
        _cache = cache;
        _logger = logger;
    }

    public IReadOnlyList<IPAddress> Servers { get; }

    /// <summary>Fills <paramref name="response"/> with the cached or upstream answer to <paramref name="question"/>.</summary>
    public async Task AnswerAsync(DnsQuestion question, DnsMessage response, CancellationToken cancellationToken)
    {
        response.IsRecursionAllowed = true;
        var answer = _cache.Find(question);
        if (answer is null && _client is not null)
        {
            var query = new DnsMessage { IsRecursionDesired = true, IsEDnsEnabled = true };
            query.Questions.Add(question);
            try
            {
                if (await _client.SendMessageAsync(query, cancellationToken).ConfigureAwait(false) is { } upstream)
                {
                    answer = CachedAnswer.From(upstream);
                    _cache.Add(question, answer);
                }
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                _logger.LogDebug("forwarding {Name} {Type}: {Message}", question.Name, question.RecordType, ex.Message);
            }
        }

        if (answer is null)
        {
            response.ReturnCode = ReturnCode.ServerFailure;
            return;
        }

        answer.WriteTo(response);
    }
}
