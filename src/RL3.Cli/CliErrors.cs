using System.CommandLine;
using System.CommandLine.Parsing;

namespace RL3.Cli;

/// <summary>Turns the parse errors of a command line into the one line <c>rl3</c> prints (exit code 2).</summary>
internal static class CliErrors
{
    /// <summary>The first problem of <paramref name="result"/>, said in the words of <c>rl3</c>; null when it parsed.</summary>
    public static string? FirstProblem(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Errors.Count == 0)
        {
            return null;
        }

        var command = result.CommandResult.Command;
        string verb = command.Name;
        if (result.UnmatchedTokens.Count > 0)
        {
            string token = result.UnmatchedTokens[0];
            return command is RootCommand ? $"unknown command '{token}' (see 'rl3 help')"
                : token == "--set" ? $"'{verb}' takes no --set (see 'rl3 help {verb}')"
                : token.StartsWith('-') ? $"unknown option {token} for '{verb}' (see 'rl3 help {verb}')"
                : $"unexpected argument '{token}' for '{verb}' (options look like --name value; see 'rl3 help {verb}')";
        }

        var error = result.Errors[0];
        if (error.SymbolResult is OptionResult option)
        {
            var arity = option.Option.Arity;
            if (option.Tokens.Count == 0 && arity.MinimumNumberOfValues > 0)
            {
                return $"option {option.Option.Name} needs a value";
            }

            if (option.Tokens.Count > arity.MaximumNumberOfValues)
            {
                return $"option {option.Option.Name} given twice";
            }
        }

        return error.Message;
    }
}
