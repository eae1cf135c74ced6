import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * DynamoDB Local as its own main class starts it, but listening on one address (the first argument)
 * instead of every interface: the jar offers no option for that. `--compile DIR SOURCE` compiles this
 * file into DIR (the JRE's compiler module, no JDK needed), so later starts skip compiling it.
 */
public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("--compile")) {
      String classpath = System.getProperty("java.class.path");
      System.exit(javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", args[1], "-cp", classpath, args[2]));
    }
    String host = args[0];
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (var connector : server.getConnectors()) ((ServerConnector) connector).setHost(host);
    proxy.start();
    proxy.join();
  }
}
