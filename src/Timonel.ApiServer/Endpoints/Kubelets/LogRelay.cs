using Microsoft.AspNetCore.Http;

namespace Timonel.ApiServer.Endpoints.Kubelets;

/// <summary>
/// pods/log: the kubelet's container log streamed to the client as it arrives (upstream's LocationStreamer), its
/// refusals ("previous terminated container ... not found") turned into a Status with the kubelet's message.
/// </summary>
public static class LogRelay
{
    private const int MaxErrorBytes = 4096;

    public static async Task RelayAsync(HttpContext context, KubeletConnector kubelets, Uri kubelet, string pathAndQuery)
    {
        var cancellationToken = context.RequestAborted;
        HttpResponseMessage answer;
        try
        {
            answer = await kubelets.Http.GetAsync(new Uri(kubelet, pathAndQuery), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw KubeletErrors.Unreachable(kubelet, e);
        }

        using (answer)
        {
            await using var body = await answer.Content.ReadAsStreamAsync(cancellationToken);
            if (!answer.IsSuccessStatusCode)
            {
                var buffer = new byte[MaxErrorBytes];
                var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                throw KubeletErrors.Refused((int)answer.StatusCode, System.Text.Encoding.UTF8.GetString(buffer, 0, read));
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/plain";
            await context.Response.StartAsync(cancellationToken);
            var chunk = new byte[32 * 1024];
            int count;
            while ((count = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, count), cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
            }
        }
    }
}
