using System.Globalization;
using Microsoft.AspNetCore.Http;
using Timonel.Api.Validation;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// The ListOptions of a list, watch or deletecollection, read as upstream reads them and refused at the same steps:
/// the parameter codec's conversion (a number that does not parse is 400), ValidateListOptions (422 on
/// ListOptions.meta.k8s.io), then the storage layer's checks of the continue token and the resourceVersion (400).
/// </summary>
public static class ListOptionsReader
{
    public static ListQuery Read(HttpRequest request, ResourceDefinition definition, bool watch)
    {
        var query = request.Query;
        var resourceVersion = First(query, "resourceVersion") ?? "";
        var match = First(query, "resourceVersionMatch") ?? "";
        var continueToken = First(query, "continue") ?? "";
        var limit = First(query, "limit") is { } limitText ? GoQueryValue.ParseInt64(limitText) : 0;
        var timeoutSeconds = First(query, "timeoutSeconds") is { } timeoutText ? GoQueryValue.ParseInt64(timeoutText) : (long?)null;
        var sendInitialEvents = First(query, "sendInitialEvents") is { } sendText ? GoQueryValue.Bool(sendText) : (bool?)null;
        var allowBookmarks = First(query, "allowWatchBookmarks") is { } bookmarksText && GoQueryValue.Bool(bookmarksText);

        var errors = ListOptionsValidation.Validate(watch, resourceVersion, match, continueToken, sendInitialEvents);
        if (errors.Count > 0)
        {
            throw StatusException.Invalid("meta.k8s.io", "ListOptions", "", errors);
        }

        if (!watch && continueToken.Length > 0)
        {
            // storage.ValidateListOptions: the token is decoded first, then the version beside it is refused.
            ContinueToken.Decode(continueToken);
            if (resourceVersion is not ("" or "0"))
            {
                throw StatusException.BadRequest("specifying resource version is not allowed when using continue");
            }
        }

        CheckResourceVersion(resourceVersion);
        return new ListQuery
        {
            Filter = SelectorFilter.Build(query["labelSelector"].ToString(), query["fieldSelector"].ToString(), definition),
            KeyFilter = SelectorFilter.BuildKeyFilter(query["fieldSelector"].ToString(), definition),
            // A negative limit asks for no limit, as the store only pages for a positive one.
            Limit = Math.Max(limit, 0),
            Continue = continueToken.Length > 0 ? continueToken : null,
            ResourceVersion = resourceVersion,
            ResourceVersionMatch = match.Length > 0 ? match : null,
            TimeoutSeconds = timeoutSeconds,
            SendInitialEvents = sendInitialEvents,
            AllowWatchBookmarks = allowBookmarks,
        };
    }

    /// <summary>
    /// A resourceVersion that is not a revision (APIObjectVersioner.ParseResourceVersion): 400, on list, watch and get.
    /// </summary>
    public static void CheckResourceVersion(string? resourceVersion)
    {
        if (resourceVersion is null or "" or "0" || ulong.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return;
        }

        var reason = resourceVersion.AsSpan().ContainsAnyExceptInRange('0', '9') ? "invalid syntax" : "value out of range";
        throw StatusException.BadRequest($"resourceVersion: Invalid value: {GoValue.Quote(resourceVersion)}: strconv.ParseUint: parsing {GoValue.Quote(resourceVersion)}: {reason}");
    }

    /// <summary>Whether a GET is a watch: watch=, with Go's lenient boolean (anything but "0" and "false" is true).</summary>
    public static bool IsWatch(IQueryCollection query) => First(query, "watch") is { } watch && GoQueryValue.Bool(watch);

    // The parameter codec reads the first value of a repeated parameter.
    private static string? First(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] ?? "" : null;
}
