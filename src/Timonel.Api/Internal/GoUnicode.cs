using System.Globalization;
using System.Text;

namespace Timonel.Api.Internal;

/// <summary>Go's unicode.IsPrint, which upstream's texts and validations use to decide what is printable.</summary>
public static class GoUnicode
{
    /// <summary>Letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(Rune rune) => rune.Value == ' ' || IsGraphic(Rune.GetUnicodeCategory(rune));

    /// <summary>Whether characters of <paramref name="category"/> are graphic (printable, spaces aside).</summary>
    public static bool IsGraphic(UnicodeCategory category) => category is not (UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
        or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
}
