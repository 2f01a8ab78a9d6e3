using Timonel.Api.Validation;

namespace Timonel.Api.Selectors;

/// <summary>
/// Lexer and recursive-descent parser of the label selector syntax, following apimachinery's labels.Parse
/// token by token so that error messages match: <c>x in (a,b),y,!z,w!=v</c>.
/// </summary>
internal sealed class LabelSelectorParser
{
    private readonly List<(Token Token, string Literal)> _items = [];
    private readonly FieldPath? _path;
    private int _position;

    private LabelSelectorParser(string selector, FieldPath? path)
    {
        _path = path;
        var lexer = new Lexer(selector);
        while (true)
        {
            var item = lexer.Next();
            _items.Add(item);
            if (item.Token == Token.EndOfString)
            {
                break;
            }
        }
    }

    private enum Token
    {
        Error,
        EndOfString,
        ClosedPar,
        Comma,
        DoesNotExist,
        DoubleEquals,
        Equals,
        GreaterThan,
        Identifier,
        In,
        LessThan,
        NotEquals,
        NotIn,
        OpenPar,
    }

    public static List<LabelRequirement> Parse(string selector, FieldPath? path)
    {
        var requirements = new LabelSelectorParser(selector, path).ParseAll();
        // Upstream sorts by key so equal selectors print and compare the same.
        return requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
    }

    private static Token Keyword(string literal) => literal switch
    {
        ")" => Token.ClosedPar,
        "," => Token.Comma,
        "!" => Token.DoesNotExist,
        "==" => Token.DoubleEquals,
        "=" => Token.Equals,
        ">" => Token.GreaterThan,
        "in" => Token.In,
        "<" => Token.LessThan,
        "!=" => Token.NotEquals,
        "notin" => Token.NotIn,
        "(" => Token.OpenPar,
        _ => Token.Identifier,
    };

    private List<LabelRequirement> ParseAll()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            var (token, literal) = Lookahead(valuesContext: true);
            switch (token)
            {
                case Token.Identifier or Token.DoesNotExist:
                    requirements.Add(ParseRequirementWrapped());
                    var (next, nextLiteral) = Consume(valuesContext: true);
                    switch (next)
                    {
                        case Token.EndOfString:
                            return requirements;
                        case Token.Comma:
                            var (after, afterLiteral) = Lookahead(valuesContext: true);
                            if (after is not Token.Identifier and not Token.DoesNotExist)
                            {
                                throw new SelectorParseException($"found '{afterLiteral}', expected: identifier after ','");
                            }
                            break;
                        default:
                            throw new SelectorParseException($"found '{nextLiteral}', expected: ',' or 'end of string'");
                    }
                    break;
                case Token.EndOfString:
                    return requirements;
                default:
                    throw new SelectorParseException($"found '{literal}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement ParseRequirementWrapped()
    {
        try
        {
            return ParseRequirement();
        }
        catch (SelectorParseException e)
        {
            throw new SelectorParseException("unable to parse requirement: " + e.Message);
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var (key, op) = ParseKeyAndInferOperator();
        if (op is SelectionOperator.Exists or SelectionOperator.DoesNotExist)
        {
            return LabelRequirement.Create(key, op.Value, [], _path);
        }
        var binary = ParseOperator();
        var values = binary is SelectionOperator.In or SelectionOperator.NotIn ? ParseValues() : ParseExactValue();
        // Upstream collects values in a set and lists them sorted.
        return LabelRequirement.Create(key, binary, values.Order(StringComparer.Ordinal).ToList(), _path);
    }

    private (string Key, SelectionOperator? Operator) ParseKeyAndInferOperator()
    {
        SelectionOperator? op = null;
        var (token, literal) = Consume(valuesContext: true);
        if (token == Token.DoesNotExist)
        {
            op = SelectionOperator.DoesNotExist;
            (token, literal) = Consume(valuesContext: true);
        }
        if (token != Token.Identifier)
        {
            throw new SelectorParseException($"found '{literal}', expected: identifier");
        }
        if (LabelRequirement.ValidateKey(literal, _path) is { } error)
        {
            throw new SelectorParseException(error.ToString());
        }
        var (next, _) = Lookahead(valuesContext: true);
        if (next is Token.EndOfString or Token.Comma && op != SelectionOperator.DoesNotExist)
        {
            op = SelectionOperator.Exists;
        }
        return (literal, op);
    }

    private SelectionOperator ParseOperator()
    {
        var (token, literal) = Consume(valuesContext: false);
        return token switch
        {
            Token.In => SelectionOperator.In,
            Token.Equals => SelectionOperator.Equals,
            Token.DoubleEquals => SelectionOperator.DoubleEquals,
            Token.GreaterThan => SelectionOperator.GreaterThan,
            Token.LessThan => SelectionOperator.LessThan,
            Token.NotIn => SelectionOperator.NotIn,
            Token.NotEquals => SelectionOperator.NotEquals,
            _ => throw new SelectorParseException($"found '{literal}', expected: in, notin, =, ==, !=, gt, lt"),
        };
    }

    private HashSet<string> ParseValues()
    {
        var (token, literal) = Consume(valuesContext: true);
        if (token != Token.OpenPar)
        {
            throw new SelectorParseException($"found '{literal}' expected: '('");
        }
        (token, literal) = Lookahead(valuesContext: true);
        switch (token)
        {
            case Token.Identifier or Token.Comma:
                var values = ParseIdentifiersList();
                if (Consume(valuesContext: true).Token != Token.ClosedPar)
                {
                    throw new SelectorParseException($"found '{literal}', expected: ')'");
                }
                return values;
            case Token.ClosedPar:
                Consume(valuesContext: true);
                return [string.Empty];
            default:
                throw new SelectorParseException($"found '{literal}', expected: ',', ')' or identifier");
        }
    }

    private HashSet<string> ParseIdentifiersList()
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (token, literal) = Consume(valuesContext: true);
            switch (token)
            {
                case Token.Identifier:
                    values.Add(literal);
                    var (next, nextLiteral) = Lookahead(valuesContext: true);
                    switch (next)
                    {
                        case Token.Comma:
                            continue;
                        case Token.ClosedPar:
                            return values;
                        default:
                            throw new SelectorParseException($"found '{nextLiteral}', expected: ',' or ')'");
                    }
                case Token.Comma:
                    // "(," ",," and ",)" all stand for the empty value.
                    if (values.Count == 0)
                    {
                        values.Add(string.Empty);
                    }
                    var (after, _) = Lookahead(valuesContext: true);
                    if (after == Token.ClosedPar)
                    {
                        values.Add(string.Empty);
                        return values;
                    }
                    if (after == Token.Comma)
                    {
                        Consume(valuesContext: true);
                        values.Add(string.Empty);
                    }
                    break;
                default:
                    throw new SelectorParseException($"found '{literal}', expected: ',', or identifier");
            }
        }
    }

    private HashSet<string> ParseExactValue()
    {
        var (token, _) = Lookahead(valuesContext: true);
        if (token is Token.EndOfString or Token.Comma)
        {
            return [string.Empty];
        }
        (token, var literal) = Consume(valuesContext: true);
        return token == Token.Identifier
            ? [literal]
            : throw new SelectorParseException($"found '{literal}', expected: identifier");
    }

    // In a values context the keywords "in" and "notin" are plain identifiers ("x in (in)").
    private (Token Token, string Literal) Lookahead(bool valuesContext) => Demote(_items[_position], valuesContext);

    private (Token Token, string Literal) Consume(bool valuesContext) => Demote(_items[_position++], valuesContext);

    private static (Token Token, string Literal) Demote((Token Token, string Literal) item, bool valuesContext) =>
        valuesContext && item.Token is Token.In or Token.NotIn ? (Token.Identifier, item.Literal) : item;

    private sealed class Lexer(string text)
    {
        private int _pos;

        public (Token Token, string Literal) Next()
        {
            while (_pos < text.Length && IsWhitespace(text[_pos]))
            {
                _pos++;
            }
            if (_pos >= text.Length)
            {
                return (Token.EndOfString, string.Empty);
            }
            return IsSpecial(text[_pos]) ? ScanSpecial() : ScanIdentifierOrKeyword();
        }

        private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

        private static bool IsSpecial(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';

        private (Token, string) ScanIdentifierOrKeyword()
        {
            var start = _pos;
            while (_pos < text.Length && !IsSpecial(text[_pos]) && !IsWhitespace(text[_pos]))
            {
                _pos++;
            }
            var literal = text[start.._pos];
            return (Keyword(literal), literal);
        }

        // Longest run of special characters that still forms an operator ("!=" rather than "!" then "=").
        private (Token, string) ScanSpecial()
        {
            var start = _pos;
            (Token Token, string Literal)? last = null;
            while (_pos < text.Length && IsSpecial(text[_pos]))
            {
                var candidate = text[start..(_pos + 1)];
                var token = Keyword(candidate);
                if (token != Token.Identifier)
                {
                    last = (token, candidate);
                    _pos++;
                }
                else if (last is not null)
                {
                    break;
                }
                else
                {
                    _pos++;
                }
            }
            return last is { } found ? found : (Token.Error, $"error expected: keyword found '{text[start.._pos]}'");
        }
    }
}
