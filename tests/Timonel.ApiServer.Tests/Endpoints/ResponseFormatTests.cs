using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Tests.Endpoints;

public sealed class ResponseFormatTests
{
    [Theory]
    [InlineData("")]
    [InlineData("*/*")]
    [InlineData("*")]
    [InlineData("application/*")]
    [InlineData("application/json")]
    [InlineData("application/yaml")]
    [InlineData("application/vnd.kubernetes.protobuf, application/json")]
    [InlineData("application/json;stream=watch")]
    [InlineData("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")]
    [InlineData("application/json;as=Table;as=Table;v=v1;g=meta.k8s.io")]
    [InlineData("text/html, application/json;q=0.1")]
    public void EnsureAcceptable_ServableAccept_Passes(string accept) => ResponseFormat.EnsureAcceptable(Request(accept));

    [Theory]
    [InlineData("text/html")]
    [InlineData("text/plain, image/png")]
    [InlineData("application/xml")]
    [InlineData("application/json;as=Gizmo;v=v1;g=meta.k8s.io")]
    [InlineData("application/json;as=Table;v=v2;g=meta.k8s.io")]
    public void EnsureAcceptable_NothingServable_NotAcceptableWithUpstreamsList(string accept)
    {
        var error = Assert.Throws<StatusException>(() => ResponseFormat.EnsureAcceptable(Request(accept)));

        Assert.Equal(
            (406, "NotAcceptable", "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf"),
            (error.Code, error.Reason, error.Message));
    }

    [Theory]
    [InlineData("application/json;as=Table;as=Table;v=v1;g=meta.k8s.io", "Table")]
    [InlineData("application/json;as=Gizmo;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io", "PartialObjectMetadataList")]
    [InlineData("application/json", "")]
    public void From_AcceptClauses_FirstServedRepresentation(string accept, string kind) =>
        Assert.Equal(kind, ResponseFormat.From(Request(accept)).As);

    private static HttpRequest Request(string accept)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Accept = accept;
        return context.Request;
    }
}
