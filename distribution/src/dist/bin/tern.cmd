@echo off
rem Tern: "bin\tern" starts a broker (127.0.0.1:61616, data in .\tern-data); "bin\tern --help" lists the options;
rem "bin\tern COMMAND --help" for the commands that work on a running broker. JVM options: TERN_JAVA_OPTS.
setlocal
set "TERN_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java") else (set "JAVA=java")
"%JAVA%" %TERN_JAVA_OPTS% -Dtern.home="%TERN_HOME%" -cp "%TERN_HOME%\conf;%TERN_HOME%\lib\*" org.ternmq.broker.server.TernServer %*
exit /b %ERRORLEVEL%
