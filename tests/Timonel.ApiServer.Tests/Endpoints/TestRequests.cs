using System.Text;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Endpoints;

/// <summary>Requests as the endpoints receive them, without a server: a query string and an optional JSON body.</summary>
internal static class TestRequests
{
    public static ResourceDefinition ConfigMaps { get; } = ResourceCatalog.BuiltIn(new BuiltInStrategies()).First(d => d.Kind == "ConfigMap");

    public static HttpRequest With(string query, string? jsonBody = null)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        if (jsonBody is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(jsonBody);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
        }

        return context.Request;
    }
}
