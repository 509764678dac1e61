#include "app/AdminPassword.h"

#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <termios.h>
#include <unistd.h>

#include <Poco/File.h>
#include <Poco/Util/Application.h>

#include "ccc/config/yaml_config.h"
#include "config/ConfigStore.h"
#include "http/PasswordHash.h"

namespace ccc::app
{

namespace
{

using Poco::Util::Application;

/// One line from the terminal without echo (the prompt goes to stderr).
bool readHidden(const std::string & prompt, std::string & line, std::ostream & err)
{
	err << prompt << std::flush;
	termios old{};
	const bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty)
	{
		termios quiet = old;
		quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
		::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	const bool ok = static_cast<bool>(std::getline(std::cin, line));
	if (tty)
	{
		::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		err << std::endl;
	}
	return ok;
}

void stripEol(std::string & s)
{
	while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
		s.pop_back();
}

} // namespace

bool setPasswordHashInYaml(std::string & text, const std::string & hash, std::string & error)
{
	const std::string value = config::yamlQuote(hash);
	std::string patchError;
	std::string patched = text;
	if (config::patchYamlScalars(patched, {{"server.admin_password_hash", value}}, patchError))
	{
		text = patched;
		return true;
	}
	// The key is absent: insert it as the first key of the server mapping.
	std::vector<std::string> lines;
	{
		std::istringstream in(text);
		std::string l;
		while (std::getline(in, l))
			lines.push_back(l);
	}
	const std::regex serverLine(R"(^server:\s*(#.*)?\r?$)");
	const std::regex flowServer(R"(^server:\s*[^#\s].*$)");
	for (size_t i = 0; i < lines.size(); ++i)
	{
		if (std::regex_match(lines[i], flowServer) && !std::regex_match(lines[i], serverLine))
		{
			error = "config.yaml writes `server:` on one line (flow style); add admin_password_hash: " + value + " to it by hand";
			return false;
		}
		if (!std::regex_match(lines[i], serverLine))
			continue;
		std::string indent = "  ";
		for (size_t j = i + 1; j < lines.size(); ++j)
		{
			const std::string & l = lines[j];
			const size_t first = l.find_first_not_of(" \t");
			if (first == std::string::npos || l[first] == '#')
				continue;
			if (first > 0)
				indent = l.substr(0, first);
			break;
		}
		lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(i) + 1, indent + "admin_password_hash: " + value);
		std::string out;
		for (const auto & l : lines)
			out += l + "\n";
		text = out;
		return true;
	}
	if (!text.empty() && text.back() != '\n')
		text += "\n";
	text += "\nserver:\n  admin_password_hash: " + value + "\n";
	return true;
}

int setAdminPassword(const std::string & configPath, std::istream & in, std::ostream & out, std::ostream & err)
{
	ConfigStore store(configPath);
	try
	{
		if (store.writeDefaultIfMissing())
			err << "Wrote a default configuration to " << configPath << std::endl;
	}
	catch (const Poco::Exception & e)
	{
		err << "cannot write a default configuration to " << configPath << ": " << e.displayText() << std::endl;
		return Application::EXIT_CANTCREAT;
	}
	std::string text;
	{
		std::ifstream f(configPath, std::ios::binary);
		std::stringstream s;
		s << f.rdbuf();
		text = s.str();
	}
	config::YamlLoadResult before = config::loadConfigYaml(text);
	if (config::hasErrors(before.diagnostics))
	{
		err << config::formatDiagnostics(before.diagnostics, configPath);
		err << configPath << ": configuration is invalid; fix it first (the file was left as it is)" << std::endl;
		return Application::EXIT_CONFIG;
	}

	std::string password;
	if (&in == &std::cin && ::isatty(STDIN_FILENO))
	{
		std::string again;
		if (!readHidden("New admin password: ", password, err) || !readHidden("Repeat it: ", again, err))
			return Application::EXIT_USAGE;
		if (password != again)
		{
			err << "the two passwords differ; nothing changed" << std::endl;
			return Application::EXIT_USAGE;
		}
	}
	else if (!std::getline(in, password))
	{
		err << "no password on standard input; nothing changed" << std::endl;
		return Application::EXIT_USAGE;
	}
	stripEol(password);
	if (password.size() < 8)
	{
		err << "the admin password must have at least 8 characters; nothing changed" << std::endl;
		return Application::EXIT_USAGE;
	}
	if (password.size() > 1024)
	{
		err << "the admin password must have at most 1024 characters; nothing changed" << std::endl;
		return Application::EXIT_USAGE;
	}

	const std::string hash = http::hashPassword(password);
	std::string error;
	if (!setPasswordHashInYaml(text, hash, error))
	{
		err << configPath << ": " << error << std::endl;
		return Application::EXIT_CONFIG;
	}
	config::YamlLoadResult after = config::loadConfigYaml(text);
	if (config::hasErrors(after.diagnostics) || after.config.server.admin_password_hash != hash)
	{
		err << config::formatDiagnostics(after.diagnostics, configPath);
		err << configPath << ": could not place server.admin_password_hash in this file; add it by hand:\n  admin_password_hash: "
			<< config::yamlQuote(hash) << std::endl;
		return Application::EXIT_CONFIG;
	}
	try
	{
		ConfigStore::atomicWrite(configPath, text, true);
	}
	catch (const Poco::Exception & e)
	{
		err << "cannot write " << configPath << ": " << e.displayText() << std::endl;
		return Application::EXIT_CANTCREAT;
	}
	out << "Admin password set (server.admin_password_hash in " << configPath
		<< "). A running service applies it within a few seconds; the previous file is " << configPath << ".backup" << std::endl;
	return Application::EXIT_OK;
}

} // namespace ccc::app
